"""One alias table for brand names, applied everywhere (contracts.md: brand keys).

Why: sources spell one brand many ways (小米, 米家, Xiaomi, MI, 小米集团); joining complaints to
sales needs one key per brand. The table lives in ``brandrep/data/brand_aliases.csv`` so a
researcher can add a brand without touching code. Unknown names are *not guessed*: they are
returned unchanged (stripped) and reported, so a typo shows up instead of silently merging.
"""

from __future__ import annotations

import csv
import unicodedata
import warnings
from functools import lru_cache
from importlib import resources

import pandas as pd

ALIAS_FILE = "brand_aliases.csv"
# Written when a figure covers a whole market or platform rather than one brand.
ALL_BRANDS = "all"


class UnknownBrandWarning(UserWarning):
    """A brand name that is not in the alias table (kept unchanged, not guessed)."""


def _key(name: str) -> str:
    # NFKC folds full-width letters (ＸＩＡＯＭＩ); casefold makes "MI", "Mi" and "mi" one alias.
    return " ".join(unicodedata.normalize("NFKC", str(name)).split()).casefold()


@lru_cache(maxsize=1)
def alias_table() -> pd.DataFrame:
    """The alias table: alias, brand (canonical key), name_zh, name_en, note."""
    with resources.files("brandrep.data").joinpath(ALIAS_FILE).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = pd.DataFrame(rows, columns=["alias", "brand", "name_zh", "name_en", "note"])
    keys = table["alias"].map(_key)
    clashes = table[keys.duplicated(keep=False)].groupby(keys)["brand"].nunique()
    if (clashes > 1).any():  # one alias may not point at two brands
        raise ValueError(f"{ALIAS_FILE}: aliases mapped to two brands: {list(clashes[clashes > 1].index)}")
    return table


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table = alias_table()
    lookup = dict(zip(table["alias"].map(_key), table["brand"]))
    lookup.update({brand: brand for brand in table["brand"]})  # canonical keys map to themselves
    return lookup


def known_brands() -> list[str]:
    return sorted(set(alias_table()["brand"]))


def is_known(name: str) -> bool:
    return _key(name) in _lookup()


def canonical_brand(name: str, *, warn: bool = True) -> str:
    """Canonical lower-case key for a brand name ("米家" -> "xiaomi").

    An empty name means the figure covers all brands and returns ``"all"``. An unknown name is
    returned unchanged (whitespace stripped) and reported with :class:`UnknownBrandWarning`.
    """
    text = " ".join(unicodedata.normalize("NFKC", str(name or "")).split())
    if not text:
        return ALL_BRANDS
    brand = _lookup().get(_key(text))
    if brand is None:
        if warn:
            warnings.warn(f"unknown brand {text!r} kept as written; add it to {ALIAS_FILE} if it is a "
                          "spelling of a known brand", UnknownBrandWarning, stacklevel=2)
        return text
    return brand


def canonical_brands(names) -> tuple[pd.Series, list[str]]:
    """Map many names at once; returns the keys and the sorted list of unknown names (reported once)."""
    series = pd.Series(list(names), dtype="object")
    unknown = sorted({str(n).strip() for n in series if str(n or "").strip() and not is_known(n)})
    keys = series.map(lambda n: canonical_brand(n, warn=False))
    if unknown:
        warnings.warn(f"unknown brands kept as written: {', '.join(unknown)}", UnknownBrandWarning, stacklevel=2)
    return keys, unknown


def display_name(brand: str, language: str = "zh") -> str:
    """Name for charts: 小米 / Xiaomi for ``xiaomi``; unknown keys are shown as they are."""
    table = alias_table().drop_duplicates("brand").set_index("brand")
    if brand not in table.index:
        return brand
    return table.at[brand, "name_zh" if language == "zh" else "name_en"]
