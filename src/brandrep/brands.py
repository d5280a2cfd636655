"""One alias table for brand names, applied everywhere (contracts.md: brand keys).

Why: sources spell one brand many ways (小米, 米家, Xiaomi, MI, 小米集团); joining complaints to
sales needs one key per brand. The table lives in ``brandrep/data/brand_aliases.csv`` so a
researcher can add a brand without touching code. Unknown names are *not guessed*: they are
returned unchanged (stripped) and reported, so a typo shows up instead of silently merging.
"""

from __future__ import annotations

import csv
import os
import unicodedata
import warnings
from functools import lru_cache
from importlib import resources

import pandas as pd

ALIAS_FILE = "brand_aliases.csv"
# A case folder's own alias table (``brandrep new-case`` writes DIR/raw/brand_aliases.csv), added to
# the package's: a researcher's new brand becomes known without editing the package. Set by
# ``brandrep run --case`` for every kernel it starts.
EXTRA_ALIASES_ENV = "BRANDREP_BRAND_ALIASES"
# Written when a figure covers a whole market or platform rather than one brand.
ALL_BRANDS = "all"


class UnknownBrandWarning(UserWarning):
    """A brand name that is not in the alias table (kept unchanged, not guessed)."""


def _key(name: str) -> str:
    # NFKC folds full-width letters (ＸＩＡＯＭＩ); casefold makes "MI", "Mi" and "mi" one alias.
    return " ".join(unicodedata.normalize("NFKC", str(name)).split()).casefold()


def alias_table() -> pd.DataFrame:
    """The alias table: alias, brand (canonical key), name_zh, name_en, note; the package's rows
    then those of the file named by ``BRANDREP_BRAND_ALIASES``, if set."""
    return _alias_table(os.environ.get(EXTRA_ALIASES_ENV, ""))


@lru_cache(maxsize=4)
def _alias_table(extra: str) -> pd.DataFrame:
    from brandrep.errors import InputError

    with resources.files("brandrep.data").joinpath(ALIAS_FILE).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if extra:
        try:
            with open(extra, encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = {"alias", "brand"} - set(reader.fieldnames or ())
                if missing:
                    raise InputError(f"an alias table needs the columns alias, brand (name_zh, name_en, note "
                                     f"optional); missing: {', '.join(sorted(missing))}", path=extra, row=1)
                for line, row in enumerate(reader, start=2):
                    if not (row.get("alias") or "").strip() or not (row.get("brand") or "").strip():
                        raise InputError("alias and brand must not be empty", path=extra, row=line)
                    rows.append({**row, "alias": row["alias"].strip(), "brand": _key(row["brand"])})
        except OSError as error:
            raise InputError(f"cannot read the alias table ({error.strerror})", path=extra) from None
    table = pd.DataFrame(rows, columns=["alias", "brand", "name_zh", "name_en", "note"]).fillna("")
    keys = table["alias"].map(_key)
    clashes = table[keys.duplicated(keep=False)].groupby(keys)["brand"].nunique()
    if (clashes > 1).any():  # one alias may not point at two brands
        raise ValueError(f"{extra or ALIAS_FILE}: aliases mapped to two brands: {list(clashes[clashes > 1].index)}")
    return table


def _lookup() -> dict[str, str]:
    return _lookup_for(os.environ.get(EXTRA_ALIASES_ENV, ""))


@lru_cache(maxsize=4)
def _lookup_for(extra: str) -> dict[str, str]:
    table = _alias_table(extra)
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
    """Name for charts: 小米 / Xiaomi for ``xiaomi``; unknown keys are shown as they are.

    The first row of the brand that gives a name in ``language`` names it: a case's table may
    leave names blank on some spellings (its template row does) and give them on another.
    """
    table = alias_table()
    names = table.loc[table["brand"] == brand, "name_zh" if language == "zh" else "name_en"].str.strip()
    names = names[names != ""]
    return names.iloc[0] if len(names) else brand
