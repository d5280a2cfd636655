"""Read and check notebook 01's complaints and denominators tables for the claim test.

Every number the claim test uses comes from ``data/processed/complaints`` and
``data/processed/denominators`` (schemas in the project contracts), so another brand, platform
or period is a different file or parameter, not different code. Rows that would make a rate
meaningless (a share above 100 %, a count above its total, a zero or missing total or
denominator) stop the run with an :class:`InputError` naming the file, row and column.

Exposure shares are derived by two documented rules (``exposure_candidates``):

1. ``retail_share`` rows are already shares (percent -> fraction);
2. a brand's volume (``shipments``, ``retail_volume``, ``odm_volume``) divided by the
   ``market_volume`` row of the same category and unit;
   (revenue is divided by a ``market_volume`` row in the same currency unit, any category, and
   the scope difference is stated in ``basis``).

Revenue shares *among the listed brands only* (``brand_revenue``) are used where the complaint
counts of the same brands are known (the cross-section), never against a platform-wide total.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from brandrep.errors import InputError, ParameterError

COMPLAINTS_COLUMNS = ("platform", "period_start", "period_end", "brand", "complaints", "share_pct", "total", "qualifier")
DENOMINATORS_COLUMNS = ("brand", "measure", "category", "value", "value_low", "value_high", "qualifier", "unit")
BOUND_QUALIFIERS = {"lower_bound", "upper_bound"}
VOLUME_MEASURES = ("shipments", "retail_volume", "odm_volume")


def _read(path, required) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise InputError("table not found; run notebook 01_clean_data first or pass another path", path=path)
    try:
        frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, encoding="utf-8-sig")
    except Exception as error:  # unreadable file: say which
        raise InputError(f"cannot read the table: {error}", path=path) from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}; columns found: {list(frame.columns)}", path=path)
    return frame.reset_index(drop=True)


def _number(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return number


def read_complaints(path) -> pd.DataFrame:
    """The complaints table, with every row's count, share and total checked for consistency."""
    frame = _read(path, COMPLAINTS_COLUMNS)
    for i, row in frame.iterrows():
        line = i + 2  # CSV line (header is line 1); the same row number in Parquet + 1
        total, count, share = _number(row["total"]), _number(row["complaints"]), _number(row["share_pct"])
        if not math.isnan(share) and not 0 <= share <= 100:
            raise InputError(f"share {share} % is outside 0-100 %", path=path, row=line, column="share_pct")
        if math.isnan(total) or total <= 0:
            if not math.isnan(share) or (not math.isnan(total) and total <= 0):
                # a bare count (keyword hits) may lack a total; a share or a zero total may not
                raise InputError("total is zero or missing, so the share has no denominator", path=path,
                                 row=line, column="total")
            continue
        if not math.isnan(count) and count > total:
            raise InputError(f"complaints {count:g} exceed the total {total:g}", path=path, row=line,
                             column="complaints")
    return frame


def read_denominators(path) -> pd.DataFrame:
    """The denominators table; values must be positive numbers where given."""
    frame = _read(path, DENOMINATORS_COLUMNS)
    for i, row in frame.iterrows():
        value = _number(row["value"])
        if math.isnan(value) or value <= 0:
            raise InputError(f"denominator value {row['value']!r} is zero, missing or negative", path=path,
                             row=i + 2, column="value")
        if row["measure"] == "retail_share" and value > 100:
            raise InputError(f"share {value} % is above 100 %", path=path, row=i + 2, column="value")
    return frame


def window_counts(complaints: pd.DataFrame, *, platform: str, start: str, end: str, total: int = 0) -> pd.DataFrame:
    """Brand counts of one platform and period: brand, complaints, total, rests_on_bound.

    A row without a count gets it from share x total when exactly one whole count rounds to the
    published share; ``total`` > 0 overrides the table's total (a user's own figure).
    """
    from brandrep.stats.proportions import counts_consistent_with_share

    rows = complaints[(complaints["platform"] == platform)
                      & (complaints["period_start"].astype(str) == str(start))
                      & (complaints["period_end"].astype(str) == str(end))]
    out = []
    for _, row in rows.iterrows():
        row_total = int(total) if total else _number(row["total"])
        if math.isnan(row_total):
            continue
        count = _number(row["complaints"])
        if math.isnan(count) and not math.isnan(_number(row["share_pct"])):
            candidates = counts_consistent_with_share(float(row["share_pct"]), int(row_total))
            if len(candidates) == 1:
                count = candidates[0]
        if math.isnan(count):
            continue
        if count > row_total:
            raise ParameterError(f"total = {int(row_total)} is smaller than {row['brand']}'s {int(count)} complaints")
        out.append({"brand": row["brand"], "complaints": int(count), "total": int(row_total),
                    "rests_on_bound": str(row["qualifier"]) in BOUND_QUALIFIERS})
    frame = pd.DataFrame(out, columns=["brand", "complaints", "total", "rests_on_bound"])
    return frame.drop_duplicates("brand").sort_values(["complaints", "brand"], ascending=[False, True]).reset_index(drop=True)


def _range(row) -> tuple[float, float, float]:
    value = _number(row["value"])
    low, high = _number(row["value_low"]), _number(row["value_high"])
    low = value if math.isnan(low) else min(low, value)
    high = value if math.isnan(high) else max(high, value)
    return value, low, high


def _fraction(row) -> tuple[float, float, float]:
    value, low, high = _range(row)
    percent = "percent" in str(row["unit"]).lower() or "%" in str(row["unit"]) or value > 1
    return (value / 100, low / 100, high / 100) if percent else (value, low, high)


def brand_revenue(denominators: pd.DataFrame) -> pd.DataFrame:
    """One revenue per brand: the smallest (most specific) segment as point, all rows as range."""
    rows = []
    for brand, group in denominators[denominators["measure"] == "revenue"].groupby("brand", sort=True):
        ranges = [_range(r) for _, r in group.iterrows()]
        point = min(v for v, _, _ in ranges)
        rows.append({"brand": brand, "value": point, "value_low": min(lo for _, lo, _ in ranges),
                     "value_high": max(hi for _, _, hi in ranges),
                     "rests_on_bound": bool(group["qualifier"].astype(str).isin(BOUND_QUALIFIERS).any())})
    return pd.DataFrame(rows, columns=["brand", "value", "value_low", "value_high", "rests_on_bound"])


def exposure_candidates(denominators: pd.DataFrame, brand: str) -> pd.DataFrame:
    """Every exposure share for ``brand`` the table supports (rules in the module docstring).

    Columns: brand, exposure_measure, exposure_share, exposure_share_low, exposure_share_high,
    rests_on_bound, basis.
    """
    rows = []
    mine = denominators[denominators["brand"] == brand]
    for _, row in mine[mine["measure"] == "retail_share"].iterrows():
        share, low, high = _fraction(row)
        rows.append({"exposure_measure": f"retail_share:{row['category']}", "exposure_share": share,
                     "exposure_share_low": low, "exposure_share_high": high,
                     "rests_on_bound": str(row["qualifier"]) in BOUND_QUALIFIERS,
                     "basis": f"{row.get('basis', '')} {row.get('scope', '')}".strip()})
    markets = denominators[denominators["measure"] == "market_volume"]
    for _, row in mine[mine["measure"].isin(VOLUME_MEASURES + ("revenue",))].iterrows():
        same = markets[markets["unit"] == row["unit"]]
        if row["measure"] != "revenue":  # units must count the same products; revenue is matched on currency
            same = same[same["category"] == row["category"]]
        for _, market in same.iterrows():
            value, low, high = _range(row)
            m_value, m_low, m_high = _range(market)
            scope = (f"{row['category']}" if row["category"] == market["category"]
                     else f"{row['category']} over market {market['category']} (scopes differ)")
            rows.append({"exposure_measure": f"{row['measure']}/market_volume:{row['category']}",
                         "exposure_share": value / m_value, "exposure_share_low": min(low / m_high, 1.0),
                         "exposure_share_high": min(high / m_low, 1.0),
                         "rests_on_bound": bool({str(row["qualifier"]), str(market["qualifier"])} & BOUND_QUALIFIERS),
                         "basis": f"{row['measure']} / market volume, {scope}"})
    frame = pd.DataFrame(rows, columns=["exposure_measure", "exposure_share", "exposure_share_low",
                                        "exposure_share_high", "rests_on_bound", "basis"])
    frame.insert(0, "brand", brand)
    return frame.sort_values("exposure_measure").reset_index(drop=True)


def cross_section(counts: pd.DataFrame, denominators: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Brands with both a complaint count and a ``measure`` exposure (revenue or retail_share)."""
    if measure == "revenue":
        exposure = brand_revenue(denominators)[["brand", "value", "rests_on_bound"]]
    elif measure == "retail_share":
        rows = denominators[denominators["measure"] == "retail_share"]
        rows = rows.sort_values(["brand", "category"]).drop_duplicates("brand")
        exposure = pd.DataFrame({"brand": rows["brand"], "value": [_fraction(r)[0] for _, r in rows.iterrows()],
                                 "rests_on_bound": rows["qualifier"].astype(str).isin(BOUND_QUALIFIERS)})
    else:
        raise ParameterError(f"cross-section measure must be 'revenue' or 'retail_share', got {measure!r}")
    merged = counts.merge(exposure.rename(columns={"rests_on_bound": "exposure_on_bound"}), on="brand")
    merged = merged.assign(measure=measure, rests_on_bound=merged["rests_on_bound"] | merged["exposure_on_bound"])
    return merged.drop(columns="exposure_on_bound").sort_values("brand").reset_index(drop=True)


def as_float(value) -> float:
    """A table cell as a float (NaN for missing)."""
    number = _number(value)
    return float(np.nan) if math.isnan(number) else number
