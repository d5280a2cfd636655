"""Read and check notebook 01's complaints and denominators tables for the claim test.

Every number the claim test uses comes from ``data/processed/complaints`` and
``data/processed/denominators`` (schemas in the project contracts), so another brand, platform
or period is a different file or parameter, not different code. Rows that would make a rate
meaningless (a share above 100 %, a count above its total, a zero or missing total or
denominator) stop the run with an :class:`InputError` naming the file, row and column.

Exposure shares are derived by two documented rules (``exposure_candidates``), from rows whose
period overlaps the analysis period, forecasts excluded:

1. ``retail_share`` rows are already shares (percent -> fraction);
2. a brand's volume (``shipments``, ``retail_volume``, ``odm_volume``) divided by the
   ``market_volume`` rows of the same category, kind of unit (台/套/件 are all units) and
   period; the brand's most specific revenue segment is divided by ``market_volume`` rows in
   the same currency and period, any category, and the scope difference is stated in ``basis``.

Several figures of one quantity (two market-size series, two retail shares) give one candidate:
the most confident figure as point, all of them as the range the Monte Carlo draws from.

Revenue shares *among the listed brands only* (``brand_revenue``) are used where the complaint
counts of the same brands are known (the cross-section), never against a platform-wide total.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from brandrep.errors import InputError, ParameterError
from brandrep.io import read_table

COMPLAINTS_COLUMNS = ("platform", "period_start", "period_end", "brand", "complaints", "share_pct", "total", "qualifier")
DENOMINATORS_COLUMNS = ("brand", "measure", "category", "value", "value_low", "value_high", "qualifier", "unit")
BOUND_QUALIFIERS = {"lower_bound", "upper_bound"}
VOLUME_MEASURES = ("shipments", "retail_volume", "odm_volume")


def _read(path, required, numeric) -> pd.DataFrame:
    """Read with ``brandrep.io.read_table`` (any supported format and encoding, a clear error on a
    missing column) and turn the numeric columns into numbers, naming any cell that is not one."""
    path = Path(path)
    if not path.is_file():
        raise InputError("table not found; run notebook 01_clean_data first or pass another path", path=path)
    frame = read_table(path, required=required, dedupe=False).frame.reset_index(drop=True)
    for column in numeric:
        if column not in frame:
            continue
        values = []
        for line, cell in zip(frame["_line"], frame[column]):
            number = _number(cell)
            if math.isnan(number) and str(cell).strip() not in {"", "nan", "NaN", "<NA>", "None"}:
                raise InputError(f"{cell!r} is not a number", path=path, row=int(line), column=column)
            values.append(number)
        frame[column] = pd.Series(values, index=frame.index, dtype=float)
    return frame


def _number(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return number


def read_complaints(path) -> pd.DataFrame:
    """The complaints table, with every row's count, share and total checked for consistency."""
    frame = _read(path, COMPLAINTS_COLUMNS, ("complaints", "complaints_low", "complaints_high", "share_pct", "total"))
    for _, row in frame.iterrows():
        line = int(row["_line"])
        total, count, share = row["total"], row["complaints"], row["share_pct"]
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
    frame = _read(path, DENOMINATORS_COLUMNS, ("value", "value_low", "value_high"))
    for _, row in frame.iterrows():
        value, line = row["value"], int(row["_line"])
        if math.isnan(value) or value <= 0:
            raise InputError(f"denominator value {value!r} is zero, missing or negative", path=path,
                             row=line, column="value")
        if row["measure"] == "retail_share" and value > 100:
            raise InputError(f"share {value} % is above 100 %", path=path, row=line, column="value")
    return frame


UNIT_ALIASES = {"台": "units", "套": "units", "件": "units", "个": "units", "部": "units", "units": "units",
                "unit": "units", "元": "CNY", "cny": "CNY", "%": "percent", "percent": "percent"}
CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}


def unit_key(unit) -> str:
    """One key per kind of unit: 台/套/件/units all count items; 元 is currency."""
    text = str(unit).strip()
    return UNIT_ALIASES.get(text.lower(), UNIT_ALIASES.get(text, text))


def _day(value) -> str | None:
    text = "" if value is None else str(value)
    return None if text in {"", "nan", "None", "NaT", "<NA>"} else text[:10]


def _days_equal(column: pd.Series, day) -> pd.Series:
    return pd.Series([_day(v) == day for v in column], index=column.index, dtype=bool)


def in_period(frame: pd.DataFrame, start: str, end: str) -> pd.Series:
    """Rows whose period overlaps [start, end]; a missing start or end is open-ended."""
    starts = [_day(v) for v in frame["period_start"]] if "period_start" in frame else [None] * len(frame)
    ends = [_day(v) for v in frame["period_end"]] if "period_end" in frame else [None] * len(frame)
    return pd.Series([(s is None or s <= end) and (e is None or e >= start) for s, e in zip(starts, ends)],
                     index=frame.index, dtype=bool)


WEAK_CONFIDENCE = ("low",)


def weak_reasons(denominators: pd.DataFrame) -> pd.Series:
    """Why a denominator row is kept out of the verdicts by default ("" for a row that is not).

    Undated rows (neither period start nor end) would count as open-ended and so enter every
    period; low-confidence rows (an unsourced blog, a repost of unclear origin) would let one
    weak figure decide a verdict (issue 14: the undated, low-confidence "≥20 %" lock share X11
    alone moved C2). Both stay in the robustness table, and a notebook parameter includes them.
    """
    starts = [_day(v) for v in denominators["period_start"]] if "period_start" in denominators else [None] * len(denominators)
    ends = [_day(v) for v in denominators["period_end"]] if "period_end" in denominators else [None] * len(denominators)
    confidence = (denominators["confidence"].astype(str).str.strip().str.lower() if "confidence" in denominators
                  else pd.Series("", index=denominators.index))
    reasons = []
    for start, end, level in zip(starts, ends, confidence):
        why = []
        if start is None and end is None:
            why.append("undated")
        if level in WEAK_CONFIDENCE:
            why.append(f"{level} confidence")
        reasons.append(" and ".join(why))
    return pd.Series(reasons, index=denominators.index, dtype=object)


def split_weak_rows(denominators: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows the verdicts use by default, the undated or low-confidence rows with a ``reason``)."""
    reasons = weak_reasons(denominators)
    weak = reasons != ""
    return denominators[~weak], denominators[weak].assign(reason=reasons[weak])


def usable_denominators(denominators: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Denominator rows that overlap the period and are measurements, not forecasts."""
    keep = in_period(denominators, start, end) & (denominators["qualifier"].astype(str) != "forecast")
    return denominators[keep]


def window_counts(complaints: pd.DataFrame, *, platform: str, start: str, end: str, total: int = 0) -> pd.DataFrame:
    """Brands with a known whole count on one platform and period: brand, complaints, total, rests_on_bound.

    The count is ``complaints``, else ``complaints_low`` when it equals ``complaints_high`` (notebook
    01 reconciles counts with shares), else the single whole count that rounds to the published
    share. A brand known only as a range (e.g. "below the leader") has no count and is left out:
    such bounds come from the ranking itself and cannot be used to check it. ``total`` > 0
    overrides the table's total.
    """
    from brandrep.cleaning import counts_for_share
    from brandrep.numbers import parse_quantity

    rows = complaints[(complaints["platform"] == platform)
                      & _days_equal(complaints["period_start"], start) & _days_equal(complaints["period_end"], end)]
    out = []
    for _, row in rows.iterrows():
        row_total = int(total) if total else _number(row["total"])
        if math.isnan(row_total):
            continue
        count = _number(row["complaints"])
        low, high = _number(row.get("complaints_low")), _number(row.get("complaints_high"))
        if math.isnan(count) and not math.isnan(low) and low == high:
            count = low
        if math.isnan(count) and math.isnan(low) and math.isnan(high) and not math.isnan(_number(row["share_pct"])):
            # the float keeps the published decimals as written by notebook 01 (15.15, 15.8)
            candidates = counts_for_share(parse_quantity(f"{float(row['share_pct']):g}%"), int(row_total))
            if candidates.unique is not None:
                count = candidates.unique
        if math.isnan(count):
            continue
        if count > row_total:
            raise ParameterError(f"total = {int(row_total)} is smaller than {row['brand']}'s {int(count)} complaints")
        out.append({"brand": row["brand"], "complaints": int(count), "total": int(row_total),
                    "rests_on_bound": str(row["qualifier"]) in BOUND_QUALIFIERS})
    frame = pd.DataFrame(out, columns=["brand", "complaints", "total", "rests_on_bound"])
    return frame.drop_duplicates("brand").sort_values(["complaints", "brand"], ascending=[False, True]).reset_index(drop=True)


def _range(row, *, open_bounds: bool = False) -> tuple[float, float, float]:
    """(value, low, high) of one row. With ``open_bounds`` a bound stays one-sided: a lower bound
    without a sourced ceiling is [value, inf) and an upper bound without a floor is [0, value], so
    a ratio built from it reaches the end that is conservative for the claim (issue 14)."""
    value = _number(row["value"])
    low, high = _number(row["value_low"]), _number(row["value_high"])
    qualifier = str(row.get("qualifier", ""))
    if open_bounds and qualifier == "lower_bound" and math.isnan(high):
        high = math.inf
    if open_bounds and qualifier == "upper_bound" and math.isnan(low):
        low = 0.0
    low = value if math.isnan(low) else min(low, value)
    high = value if math.isnan(high) else max(high, value)
    return value, low, high


def _fraction(row, *, open_bounds: bool = False) -> tuple[float, float, float]:
    value, low, high = _range(row, open_bounds=open_bounds)
    percent = unit_key(row["unit"]) == "percent" or value > 1
    value, low, high = (value / 100, low / 100, high / 100) if percent else (value, low, high)
    return value, low, min(high, 1.0)  # a share's ceiling is 1


def _point_row(group: pd.DataFrame, *, prefer_small: bool = True) -> pd.Series:
    """The most confident row of a group; ties go to the smaller value (conservative for R when
    the group is a market size: a smaller market means a larger exposure share)."""
    ranked = group.assign(_conf=group["confidence"].map(CONFIDENCE_ORDER).fillna(3),
                          _value=group["value"].astype(float) * (1 if prefer_small else -1))
    return ranked.sort_values(["_conf", "_value", "source_ids"], kind="stable").iloc[0]


def _group_range(group: pd.DataFrame, fraction: bool = False) -> tuple[float, float, float, bool]:
    """Point (most confident row) and the range over every row of a group of one quantity."""
    convert = _fraction if fraction else _range
    ranges = [convert(r, open_bounds=True) for _, r in group.iterrows()]
    point = convert(_point_row(group, prefer_small=not fraction))[0]
    bound = bool(group["qualifier"].astype(str).isin(BOUND_QUALIFIERS).any())
    return point, min(lo for _, lo, _ in ranges), max(hi for _, _, hi in ranges), bound


def _revenue_point(group: pd.DataFrame, category: str | None) -> pd.Series:
    """The revenue row closest to the complaints' scope: the complaints' category if the brand
    reports it (Midea's home-appliance segment), else its smallest segment (Xiaomi's IoT, not
    its group revenue with phones)."""
    same = group[group["category"] == category] if category else group.iloc[:0]
    pool = same if len(same) else group
    return pool.assign(_v=pool["value"].astype(float)).sort_values(["_v", "source_ids"], kind="stable").iloc[0]


def brand_revenue(denominators: pd.DataFrame, *, category: str | None = None) -> pd.DataFrame:
    """One revenue per brand (``_revenue_point``) as point, all its rows as range.

    Pass rows of one period (``usable_denominators``): a brand's revenue in two years is no range.
    """
    rows = []
    for brand, group in denominators[denominators["measure"] == "revenue"].groupby("brand", sort=True):
        ranges = [_range(r) for _, r in group.iterrows()]
        point = float(_revenue_point(group, category)["value"])
        rows.append({"brand": brand, "value": point, "value_low": min(lo for _, lo, _ in ranges),
                     "value_high": max(hi for _, _, hi in ranges),
                     "rests_on_bound": bool(group["qualifier"].astype(str).isin(BOUND_QUALIFIERS).any())})
    return pd.DataFrame(rows, columns=["brand", "value", "value_low", "value_high", "rests_on_bound"])


def _sources(rows: pd.DataFrame) -> str:
    """The source ids behind a candidate ("A19a;A19b"), so the ledger can say what a verdict rests on."""
    if "source_ids" not in rows:
        return ""
    ids = {part.strip() for cell in rows["source_ids"].astype(str) for part in cell.split(";")}
    return ";".join(sorted(ids - {"", "nan", "None", "<NA>"}))


def exposure_candidates(denominators: pd.DataFrame, brand: str, *, start: str | None = None,
                        end: str | None = None, category: str | None = None) -> pd.DataFrame:
    """Every exposure share for ``brand`` the table supports in the period (rules in the module docstring).

    Rows outside [start, end] and forecasts are ignored. Several figures of one quantity (two
    retail shares of one category, several market-size series) become one candidate: the most
    confident figure as point, all of them as range. Columns: brand, exposure_measure,
    exposure_share, exposure_share_low, exposure_share_high, rests_on_bound, basis.
    """
    if start is not None and end is not None:
        denominators = usable_denominators(denominators, start, end)
    rows = []
    mine = denominators[denominators["brand"] == brand]
    for category, group in mine[mine["measure"] == "retail_share"].groupby("category", sort=True):
        share, low, high, bound = _group_range(group, fraction=True)
        rows.append({"exposure_measure": f"retail_share:{category}", "exposure_share": share,
                     "exposure_share_low": low, "exposure_share_high": high, "rests_on_bound": bound,
                     "basis": "; ".join(sorted(set(group["scope"].astype(str)))) if "scope" in group else "",
                     "source_ids": _sources(group)})
    markets = denominators[denominators["measure"] == "market_volume"]
    market_units = markets["unit"].map(unit_key)
    volumes = mine[mine["measure"].isin(VOLUME_MEASURES)]
    revenue = mine[mine["measure"] == "revenue"]
    if len(revenue):  # one revenue row: group revenue incl. phones is no appliance exposure
        revenue = revenue.loc[[_revenue_point(revenue, category).name]]
    for (measure, category), group in pd.concat([volumes, revenue]).groupby(["measure", "category"], sort=True):
        row = _point_row(group)
        unit = unit_key(row["unit"])
        same = markets[(market_units == unit)
                       & _days_equal(markets["period_start"], _day(row["period_start"]))
                       & _days_equal(markets["period_end"], _day(row["period_end"]))]
        if measure != "revenue":  # units must count the same products; revenue is matched on currency
            same = same[same["category"] == category]
        if same.empty:
            continue
        value, low, high, own_bound = _group_range(group)
        m_value, m_low, m_high, market_bound = _group_range(same)
        m_point = float(_point_row(same)["value"])
        market_categories = sorted(set(same["category"].astype(str)))
        scope = (category if market_categories == [category]
                 else f"{category} over market {', '.join(market_categories)} (scopes differ)")
        rows.append({"exposure_measure": f"{measure}/market_volume:{category}",
                     "exposure_share": min(value / m_point, 1.0), "exposure_share_low": min(low / m_high, 1.0),
                     "exposure_share_high": min(high / m_low, 1.0), "rests_on_bound": own_bound or market_bound,
                     "basis": f"{measure} / market volume ({len(same)} market figure(s)), {scope}",
                     "source_ids": _sources(pd.concat([group, same]))})
    frame = pd.DataFrame(rows, columns=["exposure_measure", "exposure_share", "exposure_share_low",
                                        "exposure_share_high", "rests_on_bound", "basis", "source_ids"])
    frame.insert(0, "brand", brand)
    return frame.sort_values("exposure_measure").reset_index(drop=True)


def cross_section(counts: pd.DataFrame, denominators: pd.DataFrame, measure: str, *, start: str | None = None,
                  end: str | None = None, category: str | None = None) -> pd.DataFrame:
    """Brands with both a complaint count and a ``measure`` exposure (revenue or retail_share).

    Retail shares use the one category where most of the counted brands have a share.
    """
    if start is not None and end is not None:
        denominators = usable_denominators(denominators, start, end)
    denominators = denominators[denominators["brand"].isin(set(counts["brand"]))]
    if measure == "revenue":
        exposure = brand_revenue(denominators, category=category)[["brand", "value", "rests_on_bound"]]
    elif measure == "retail_share":
        rows = denominators[denominators["measure"] == "retail_share"]
        if rows.empty:
            exposure = pd.DataFrame(columns=["brand", "value", "rests_on_bound"])
        else:
            by_category = rows.groupby("category")["brand"].nunique()
            category = sorted(by_category[by_category == by_category.max()].index)[0]
            rows = rows[rows["category"] == category]
            exposure = pd.DataFrame([{"brand": b, "value": _group_range(g, fraction=True)[0],
                                      "rests_on_bound": _group_range(g, fraction=True)[3]}
                                     for b, g in rows.groupby("brand", sort=True)])
            measure = f"retail_share:{category}"
    else:
        raise ParameterError(f"cross-section measure must be 'revenue' or 'retail_share', got {measure!r}")
    merged = counts.merge(exposure.rename(columns={"rests_on_bound": "exposure_on_bound"}), on="brand")
    merged = merged.assign(measure=measure, rests_on_bound=merged["rests_on_bound"] | merged["exposure_on_bound"])
    return merged.drop(columns="exposure_on_bound").sort_values("brand").reset_index(drop=True)


def as_float(value) -> float:
    """A table cell as a float (NaN for missing)."""
    number = _number(value)
    return float(np.nan) if math.isnan(number) else number
