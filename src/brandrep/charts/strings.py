"""One table of chart strings in Chinese and English.

Every word on a chart comes from ``brandrep/data/chart_strings.csv`` (columns ``chart, key, zh,
en``), so one plotting function draws both languages and a translator edits one file, never
plotting code. Rows with chart ``common`` are shared by all charts; rows with chart ``brand``,
``platform``, ``measure``, ``topic`` and ``dataset`` translate data values (brand keys such as
``xiaomi``). Strings may hold ``str.format`` fields, such as ``{brand}``, filled by the chart.

A missing label or an unknown language is an error naming the chart and the key, raised before
anything is drawn or written. A brand with no row here takes its name from the alias table
(``brandrep.brands.display_name``: a case's own ``raw/brand_aliases.csv`` names its brands). A data
value with no translation in either is shown as it is written in the data: data are never refused
for want of a translation.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from brandrep.errors import BrandrepError

LANGUAGES = ("zh", "en")
STRINGS_FILE = "chart_strings.csv"
COMMON = "common"
# Chart names whose rows translate data values rather than labels.
VALUE_KINDS = ("brand", "platform", "measure", "category", "topic", "dataset", "marker", "claim", "publisher")


def _strings_path():
    return resources.files("brandrep") / "data" / STRINGS_FILE


@lru_cache(maxsize=1)
def strings_table() -> dict[tuple[str, str], dict[str, str]]:
    """(chart, key) -> {"zh": ..., "en": ...}, read once from the packaged CSV."""
    path = _strings_path()
    table: dict[tuple[str, str], dict[str, str]] = {}
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        for line_number, row in enumerate(csv.DictReader(handle), start=2):
            missing = [name for name in ("chart", "key", *LANGUAGES) if row.get(name) is None]
            if missing:
                raise BrandrepError(f"{STRINGS_FILE} line {line_number}: missing column(s) {missing}")
            key = (row["chart"].strip(), row["key"].strip())
            if key in table:
                raise BrandrepError(
                    f"{STRINGS_FILE} line {line_number}: chart {key[0]!r} key {key[1]!r} appears twice"
                )
            table[key] = {lang: row[lang] for lang in LANGUAGES}
    return table


def check_language(lang: str, chart: str) -> str:
    if lang not in LANGUAGES:
        raise BrandrepError(
            f"chart {chart!r}: unknown language {lang!r}; charts are made in {', '.join(LANGUAGES)}"
        )
    return lang


def label(chart: str, key: str, lang: str, **fields) -> str:
    """The string for ``key`` on ``chart`` (falling back to the shared ``common`` rows) in ``lang``."""
    check_language(lang, chart)
    table = strings_table()
    entry = table.get((chart, key)) or table.get((COMMON, key))
    if entry is None or not entry[lang].strip():
        raise BrandrepError(
            f"chart {chart!r}: label {key!r} missing from the strings table "
            f"(src/brandrep/data/{STRINGS_FILE}) for language {lang!r}"
        )
    text = entry[lang]
    try:
        return text.format(**fields) if fields or "{" in text else text
    except (KeyError, IndexError) as error:
        raise BrandrepError(
            f"chart {chart!r}: label {key!r} ({lang}) needs the field {error}, which the chart did not give"
        ) from None


def has_label(chart: str, key: str) -> bool:
    table = strings_table()
    return (chart, key) in table or (COMMON, key) in table


def value_label(kind: str, value, lang: str) -> str:
    """Display name of a data value (``kind`` in VALUE_KINDS), or the value itself if untranslated.

    A brand the strings table does not name is named by the alias table (the package's and a
    case's own ``raw/brand_aliases.csv``), which owns brand display names outside the charts.
    """
    check_language(lang, kind)
    entry = strings_table().get((kind, str(value)))
    if entry is None or not entry[lang].strip():
        if kind == "brand":
            from brandrep.brands import display_name

            return display_name(str(value), lang)
        return str(value)
    return entry[lang]


def measure_label(value, lang: str) -> str:
    """Display name of an exposure measure as notebook 03 writes it.

    Forms: ``shipments``; ``retail_share:air_conditioners`` (measure in a category);
    ``revenue_share_among:gree,midea,xiaomi`` (share among the listed brands);
    ``odm_volume/market_volume:smart_locks`` (a ratio of two measures). Unknown parts stay as written.
    """
    text = str(value)
    whole = value_label("measure", text, lang)
    if whole != text:
        return whole
    measure, _, scope = text.partition(":")
    separator = label(COMMON, "ratio_separator", lang)
    measure_name = separator.join(value_label("measure", part, lang) for part in measure.split("/"))
    if not scope:
        return measure_name
    if "," in scope:
        brands = label(COMMON, "list_separator", lang).join(value_label("brand", b, lang) for b in scope.split(","))
        return label(COMMON, "measure_among", lang, measure=measure_name, brands=brands)
    return label(COMMON, "measure_in", lang, measure=measure_name, category=value_label("category", scope, lang))
