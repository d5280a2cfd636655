"""Raw figures -> the ``figures`` and ``denominators`` tables.

Each raw value is parsed with :func:`brandrep.numbers.parse_quantity`; its qualifier (exact,
lower_bound, ...) travels with it, and a row marked ``kind=forecast`` or ``estimate`` says so in
the qualifier while keeping the bound in value_low/value_high. Rows whose value, unit or dates
cannot be read are rejected with the reason; the rest of the file is still processed.
facts-notes.md section 2: series from different publishers must not be mixed, so each
denominator keeps its basis and scope.
"""

from __future__ import annotations

import warnings
from decimal import Decimal

import pandas as pd

from brandrep.brands import UnknownBrandWarning, canonical_brand, is_known
from brandrep.cleaning.dictionary import columns
from brandrep.cleaning.reading import RawTable
from brandrep.errors import InputError
from brandrep.numbers import parse_date, parse_quantity


def _span(text: str, which: str) -> str | None:
    if not text:
        return None
    span = parse_date(text)
    return (span.start if which == "start" else span.end).isoformat()


def _stamp(text: str) -> str | None:
    return parse_date(text).iso() if text else None


# The units a denominator of each measure can be in: exposure shares are formed from a brand's
# count and a market count *in the same unit*, so a unit that fits no measure (or none at all)
# would make a denominator that silently never matches: it is rejected instead.
COUNT_UNITS = ("件", "套", "台", "条", "个", "项", "次", "家", "户", "人", "款", "辆", "部", "units")
MEASURE_UNITS = {
    "retail_share": ("%",),
    "revenue": ("元",),
    "market_volume": (*COUNT_UNITS, "元"),
}


def check_measure_unit(measure: str, unit: str) -> None:
    """Raise InputError when a denominator's unit cannot be what its measure counts."""
    if not measure:
        return
    allowed = MEASURE_UNITS.get(measure, COUNT_UNITS)
    if unit not in allowed:
        found = repr(unit) if unit else "no unit"
        raise InputError(f"measure {measure} needs a unit that fits its measure ({', '.join(allowed)}), got {found}")


def parse_figure_row(row: dict) -> dict:
    """One raw figure row -> one processed row; raises InputError with the column at fault."""
    out = {}
    try:
        quantity = parse_quantity(row["raw_value"], unit=row.get("unit", ""))
    except InputError as error:
        raise InputError(error.reason, column="raw_value") from None
    try:
        check_measure_unit(row.get("measure", ""), quantity.unit)
    except InputError as error:
        raise InputError(error.reason, column="unit" if row.get("unit", "") else "raw_value") from None
    for column, reader in (("period_start", lambda t: _span(t, "start")), ("period_end", lambda t: _span(t, "end")),
                           ("as_of_date", _stamp), ("published_date", _stamp)):
        try:
            out[column] = reader(row.get(column, ""))
        except InputError as error:
            raise InputError(error.reason, column=column) from None
    if out["period_start"] and out["period_end"] and out["period_start"] > out["period_end"]:
        raise InputError(f"period runs backwards ({out['period_start']} > {out['period_end']})", column="period_end")
    kind = row.get("kind", "") or "reported"
    qualifier = quantity.qualifier if kind == "reported" else kind
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownBrandWarning)  # unknown names are reported once, by the caller
        brand = canonical_brand(row.get("brand", ""))
    out.update(
        figure_id=row["figure_id"], metric=row["metric"], entity=row.get("entity", ""), brand=brand,
        platform=row.get("platform", "") or None, raw_value=row["raw_value"], value=quantity.value,
        value_low=quantity.value_low, value_high=quantity.value_high, qualifier=qualifier, unit=quantity.unit,
        source_name=row["source_name"], source_url=row.get("source_url", "") or None,
        page=row.get("page", "") or None, confidence=row["confidence"], note=row.get("note", "") or None,
        # kept for the denominators table, dropped from figures
        _measure=row.get("measure", ""), _category=row.get("category", ""), _basis=row.get("basis", ""),
        _scope=row.get("scope", ""), _line=row["_line"],
    )
    return out


def build_figures(raw: RawTable) -> tuple[pd.DataFrame, list[str]]:
    """Parse every usable raw row; returns the full frame (with helper columns) and unknown brands."""
    rows = raw.parse_rows(parse_figure_row, raw_column="raw_value")
    frame = pd.DataFrame(rows)
    unknown = sorted({r["brand"] for r in rows if r["brand"] != "all" and not is_known(r["brand"])})
    return frame, unknown


def figures_table(parsed: pd.DataFrame) -> pd.DataFrame:
    table = parsed.reindex(columns=columns("figures")) if len(parsed) else pd.DataFrame(columns=columns("figures"))
    return _typed(table, numbers=("value", "value_low", "value_high")).sort_values("figure_id", kind="stable") \
        .reset_index(drop=True)


def denominators_table(parsed: pd.DataFrame) -> pd.DataFrame:
    """Rows with a measure, plus the derived estimates of :func:`derived_denominators`."""
    cols = columns("denominators")
    if not len(parsed):
        return _typed(pd.DataFrame(columns=cols), numbers=("value", "value_low", "value_high"))
    chosen = parsed[parsed["_measure"] != ""].copy()
    chosen["measure"] = chosen["_measure"]
    chosen["category"] = chosen["_category"]
    chosen["basis"] = chosen["_basis"]
    chosen["scope"] = chosen["_scope"]
    chosen["source_ids"] = chosen["figure_id"]
    table = pd.concat([chosen.reindex(columns=cols), derived_denominators(parsed)], ignore_index=True)
    table = _typed(table, numbers=("value", "value_low", "value_high"))
    return table.sort_values(["measure", "category", "brand", "period_start", "source_ids"], kind="stable",
                             na_position="first").reset_index(drop=True)


def derived_denominators(parsed: pd.DataFrame) -> pd.DataFrame:
    """Estimates computed from sourced rows, never transcribed (facts-notes.md section 5).

    Xiaomi locks built by Lockin in a year = Lockin ODM units x Xiaomi's share of Lockin ODM
    revenue (assumes Xiaomi's share of units equals its share of revenue; a floor for Xiaomi's
    lock volume, since Xiaomi may have other suppliers).
    """
    by_id = parsed.set_index("figure_id")
    rows = []
    for units_id, share_id in (("X02", "X06a"), ("X03", "X06b")):
        if units_id not in by_id.index or share_id not in by_id.index:
            continue
        units, share = by_id.loc[units_id], by_id.loc[share_id]
        if units["qualifier"] != "exact" or share["qualifier"] != "exact":
            continue
        value = float((Decimal(str(float(units["value"]))) * Decimal(str(float(share["value"]))) / 100).quantize(Decimal(1)))
        rows.append({
            "brand": "xiaomi", "measure": "odm_volume", "category": units["_category"], "value": value,
            "value_low": None, "value_high": None, "qualifier": "estimate", "unit": units["unit"],
            "basis": f"derived: {units_id} Lockin ODM units x {share_id} Xiaomi share of Lockin ODM revenue",
            "scope": "Xiaomi locks built by Lockin; a floor for Xiaomi's volume if it has other suppliers",
            "period_start": units["period_start"], "period_end": units["period_end"],
            "source_ids": f"{units_id};{share_id}",
            "confidence": min((units["confidence"], share["confidence"]), key=["low", "medium", "high"].index),
        })
    return pd.DataFrame(rows, columns=columns("denominators"))


def _text_or_none(value):
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return None
    return str(value)


def _typed(table: pd.DataFrame, numbers=()) -> pd.DataFrame:
    table = table.copy()
    for name in table.columns:
        if name in numbers:
            table[name] = pd.to_numeric(table[name], errors="raise").astype("float64")
        else:
            table[name] = table[name].map(_text_or_none).astype("str")
    return table
