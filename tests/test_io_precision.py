"""The writing layer writes floats at a stated precision, so last-bit noise writes the same bytes."""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from brandrep.io.writing import SIGNIFICANT_DIGITS, write_table

# Noise is relative: one ulp at zero is a new value (5e-324), not noise, so magnitudes start at 1e-290.
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300).filter(
    lambda x: abs(x) >= 1e-290
)


def _near_rounding_edge(x: float, ulps: int = 4) -> bool:
    """True when ``x`` is within ``ulps`` ulp of a half-way point at the stated precision: the
    documented residual risk, where any rounding rule must flip."""
    if x == 0:
        return False
    exact = decimal.Decimal(x)
    quantum = decimal.Decimal(1).scaleb(exact.adjusted() - SIGNIFICANT_DIGITS + 1)
    remainder = abs(exact) % quantum
    distance = abs(remainder - quantum / 2)
    return distance <= decimal.Decimal(float(np.spacing(abs(x)))) * ulps


def _written(values, tmp_path, name):
    frame = pd.DataFrame({"label": [f"row{i}" for i in range(len(values))], "value": values})
    paths = write_table(frame, tmp_path / name)
    return [p.read_bytes() for p in paths]


@settings(max_examples=200, deadline=None)
@given(values=st.lists(finite, min_size=1, max_size=8), direction=st.sampled_from([np.inf, -np.inf]))
def test_one_ulp_of_noise_writes_the_same_bytes(tmp_path_factory, values, direction):
    assume(not any(_near_rounding_edge(v) for v in values))
    tmp_path = tmp_path_factory.mktemp("precision")
    original = np.array(values, dtype=float)
    perturbed = np.nextafter(original, direction)
    assert _written(original, tmp_path, "a") == _written(perturbed, tmp_path, "b")


def test_writing_rounds_on_disk_only(tmp_path):
    frame = pd.DataFrame({"value": [20842094595.411686, 1 / 3, np.nan]})
    write_table(frame, tmp_path / "t")
    assert frame["value"][0] == 20842094595.411686  # memory keeps full precision
    csv = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert csv.splitlines()[1:] == ["20842094595.4", "0.333333333333", "\"\""]
    assert pd.read_parquet(tmp_path / "t.parquet")["value"][0] == 20842094595.4
