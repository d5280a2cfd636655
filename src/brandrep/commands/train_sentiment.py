"""``brandrep train-sentiment``: fit the character n-gram sentiment model on a labelled table."""

from __future__ import annotations

import argparse

from brandrep.sentiment.trained import MIN_TEXTS, NEGATIVE_LABELS, POSITIVE_LABELS

HELP = ("train a sentiment model (hashed character n-grams + logistic regression) on labelled texts; "
        "use it with brandrep score --model MODEL")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("labels", help="CSV/TSV, JSONL, Parquet or XLSX file of labelled texts")
    parser.add_argument("--text-column", required=True, help="column holding the texts (scored as written)")
    parser.add_argument("--label-column", required=True,
                        help=f"column holding the labels: {'/'.join(NEGATIVE_LABELS)} = negative, "
                             f"{'/'.join(POSITIVE_LABELS)} = positive (case-insensitive); at least "
                             f"{MIN_TEXTS} texts, both classes, every text with a Chinese character")
    parser.add_argument("--output", required=True,
                        help="model file to write (.npz; replaced if it exists, never the LABELS file)")


def run(args) -> int:
    import hashlib
    from pathlib import Path

    from brandrep.errors import InputError
    from brandrep.io import LINE_COLUMN, read_table
    from brandrep.io.outputs import OutputRefused
    from brandrep.sentiment.trained import labels_as_01, train_model

    source, output = Path(args.labels), Path(args.output)
    if output.suffix.lower() != ".npz":
        raise InputError(f"--output must end in .npz: {output}")
    if output.exists() and source.exists() and output.samefile(source):
        raise OutputRefused(f"refusing to write {output}: it is the input {source}; choose another --output")
    if output.is_dir():
        raise OutputRefused(f"cannot write {output}: it is a folder")
    read = read_table(source, required=(args.text_column, args.label_column))
    frame = read.frame
    if len(read.rejects):
        print(f"{len(read.rejects)} rows of {source} could not be read or repeat another row and are left out")
    texts = ["" if v is None or v != v else str(v) for v in frame[args.text_column].tolist()]
    labels = labels_as_01(frame[args.label_column].tolist(), path=source, column=args.label_column)
    model = train_model(texts, labels, source=source.name, source_sha256=hashlib.sha256(source.read_bytes()).hexdigest(),
                        path=source, text_column=args.text_column, label_column=args.label_column,
                        lines=frame[LINE_COLUMN].tolist() if LINE_COLUMN in frame else None)
    model.save(output)
    cv = model.metadata["cross_validation"]
    n = model.metadata["n_texts"]
    print(f"wrote {output}: {n['negative']} negative and {n['positive']} positive texts; "
          f"{cv['folds']}-fold cross-validated accuracy {cv['accuracy']:.3f}, ROC AUC {cv['roc_auc']:.3f}, "
          f"Brier {cv['brier']:.3f}, ECE {cv['ece']:.3f}")
    return 0
