"""Raw complaint shares and counts -> the ``complaints`` table, with reconciliation and rejects.

A researcher can point this at their own file (platform, period, brand as written, share or
count, total, source ids) to study another brand or platform. Rows that cannot be used go to the
rejects with their reason: a share no integer reproduces, a count above its total, a negative
value, a count that contradicts its share, and every row of a platform+period+category whose
shares add up to more than 100% (we cannot tell which one is wrong, so none is used).
"""

from __future__ import annotations

import warnings
from decimal import Decimal

import pandas as pd

from brandrep.brands import UnknownBrandWarning, canonical_brand, is_known
from brandrep.cleaning.dictionary import columns
from brandrep.cleaning.figures import _text_or_none
from brandrep.cleaning.reading import RawTable
from brandrep.cleaning.reconcile import as_count, counts_for_share, share_lower_edge
from brandrep.errors import InputError
from brandrep.numbers import parse_date, parse_quantity

GROUP = ["platform", "period_start", "period_end", "category"]


def _date(text: str, which: str, column: str) -> str | None:
    if not text:
        return None
    try:
        span = parse_date(text)
    except InputError as error:
        raise InputError(error.reason, column=column) from None
    return (span.start if which == "start" else span.end).isoformat()


def _quantity(text: str, column: str):
    try:
        return parse_quantity(text)
    except InputError as error:
        raise InputError(error.reason, column=column) from None


def reconcile_row(row: dict) -> dict:
    """One raw row -> one complaints row (plus helper ``_share_floor``); InputError names the column."""
    total = share = count = None
    if row.get("total", ""):
        quantity = _quantity(row["total"], "total")
        if quantity.qualifier != "exact":
            raise InputError(f"total {quantity.raw!r} must be an exact count to reconcile a share", column="total")
        try:
            total = as_count(quantity, "total")
        except InputError as error:
            raise InputError(error.reason, column="total") from None
        if total == 0:
            raise InputError("total is zero", column="total")
    if row.get("count", ""):
        count = _quantity(row["count"], "count")
        try:
            count_value = as_count(count, "count")
        except InputError as error:
            raise InputError(error.reason, column="count") from None
        if total is not None and count_value > total:
            raise InputError(f"count {count.raw!r} is above the total {total}", column="count")
    if row.get("share", ""):
        share = _quantity(row["share"], "share")
        if total is None:
            raise InputError("a share needs the platform total to become a count", column="total")
        try:
            counts = counts_for_share(share, total)
        except InputError as error:
            raise InputError(error.reason, column="share") from None

    share_pct = None
    if share is not None:
        qualifier = share.qualifier
        share_pct = share.value if share.value is not None else None
        low, high = counts.low, counts.high
        complaints = counts.unique if qualifier in ("exact", "approximate") else None
        if count is not None:
            if count.qualifier != "exact" or not (low <= count_value <= high):
                raise InputError(f"count {count.raw!r} does not give the share {share.raw} of {total}", column="count")
            complaints, low, high = count_value, count_value, count_value
        share_floor = share_lower_edge(share)
    else:
        qualifier = count.qualifier
        complaints = count_value
        low = {"exact": count_value, "lower_bound": count_value, "upper_bound": 0}.get(qualifier)
        high = {"exact": count_value, "upper_bound": count_value, "lower_bound": total}.get(qualifier)
        if qualifier == "exact" and total:
            share_pct = float(Decimal(count_value) * 100 / Decimal(total))
        share_floor = Decimal(count_value) * 100 / Decimal(total) if (total and qualifier != "upper_bound") else Decimal(0)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownBrandWarning)
        brand = canonical_brand(row["brand"])
    period_start = _date(row.get("period_start", ""), "start", "period_start")
    period_end = _date(row["period_end"], "end", "period_end")
    if period_start and period_start > period_end:
        raise InputError(f"period runs backwards ({period_start} > {period_end})", column="period_end")
    return {
        "platform": row["platform"], "period_start": period_start, "period_end": period_end,
        "category": row.get("category", "") or None, "brand": brand, "brand_raw": row["brand"],
        "complaints": complaints, "complaints_low": low, "complaints_high": high, "share_pct": share_pct,
        "total": total, "qualifier": qualifier,
        "source_ids": ";".join(s.strip() for s in row["source_ids"].replace(",", ";").split(";") if s.strip()),
        "_share_floor": share_floor, "_line": row["_line"],
    }


def build_complaints(raw: RawTable) -> tuple[pd.DataFrame, list[str]]:
    rows = raw.parse_rows(reconcile_row)
    frame = pd.DataFrame(rows, columns=[*columns("complaints"), "_share_floor", "_line"])
    frame = _reject_impossible_groups(frame, raw)
    unknown = sorted({b for b in frame["brand_raw"] if b and not is_known(b)})
    table = frame[columns("complaints")].copy()
    for name in ("complaints", "complaints_low", "complaints_high", "total"):
        table[name] = pd.array([None if pd.isna(v) else int(v) for v in table[name]], dtype="Int64")
    table["share_pct"] = pd.to_numeric(table["share_pct"]).astype("float64")
    for name in ("platform", "period_start", "period_end", "category", "brand", "brand_raw", "qualifier", "source_ids"):
        table[name] = table[name].map(_text_or_none).astype("str")
    table = table.sort_values([*GROUP, "brand", "source_ids"], kind="stable", na_position="first")
    return table.reset_index(drop=True), unknown


def _reject_impossible_groups(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """Reject every row of a platform+period+category whose shares add up to more than 100%, whose
    counts add up to more than the total, or whose rows disagree on the total."""
    if not len(frame):
        return frame
    keys = frame[GROUP].fillna("")
    bad = pd.Series(False, index=frame.index)
    for _, index in keys.groupby(GROUP, sort=True).groups.items():
        group = frame.loc[index]
        floor = sum(group["_share_floor"], Decimal(0))
        label = " ".join(str(v) for v in keys.loc[index[0]] if v)
        reason = column = None  # the column named is the one to correct
        if floor > 100:
            reason, column = f"shares of {label} add up to at least {float(floor):.2f}%, above 100%", "share"
        totals = group["total"].dropna().unique()
        if reason is None and len(totals) > 1:
            reason = f"rows of {label} give different totals ({', '.join(str(int(t)) for t in sorted(totals))})"
            column = "total"
        if reason is None and len(totals) == 1:
            lows = group["complaints_low"].dropna()
            if lows.sum() > totals[0]:
                reason = f"counts of {label} add up to at least {int(lows.sum())}, above the total {int(totals[0])}"
                column = "count"
        if reason:
            for line in group["_line"]:
                raw.reject(line, column, reason, ",".join(str(v) for v in raw.frame.loc[raw.frame["_line"] == line]
                                                      .drop(columns="_line").iloc[0]))
            bad[index] = True
    return frame[~bad]
