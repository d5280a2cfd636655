"""Published US DOT tables used to check the rate, interval and funnel code.

The CSVs in ``data/raw/validation/`` are transcriptions of the US DOT Air Travel Consumer Report
(denied boardings per 10,000 enplanements, 2015-2016) and of press reports of DOT complaint rates;
each row carries its ``source``. Same structure as complaints: a count, an exposure, a published
rate. See docs/schemas.md, "Validation data".
"""

from __future__ import annotations

import pandas as pd

from brandrep.paths import RAW_DIR

VALIDATION_DIR = RAW_DIR / "validation"
DENIED_BOARDING = "validation_dot_atcr_denied_boarding_2015_2016.csv"
# The ATCR prints involuntary denied boardings per 10,000 passengers with two decimals.
PUBLISHED_DECIMALS = 2


def read_denied_boarding(year: int | None = None) -> pd.DataFrame:
    """The DOT denied-boarding table; ``year`` keeps one calendar year (2015 or 2016)."""
    frame = pd.read_csv(VALIDATION_DIR / DENIED_BOARDING, encoding="utf-8")
    frame["year"] = frame["period"].str.slice(0, 4).astype(int)
    if year is not None:
        frame = frame[frame["year"] == year].reset_index(drop=True)
    return frame

