"""Templates of the raw tables notebook 01 reads, for a researcher's own brand and platform.

`brandrep new-case DIR` writes them; they carry every column of each raw kind (required ones
first), example rows that pass `brandrep check`, and a README saying what each column means.
The example numbers are invented placeholders, marked so in their notes, to be replaced.
"""

from __future__ import annotations

import csv
import json
import shlex
from dataclasses import dataclass
from pathlib import Path

from brandrep.cleaning.build import (COMPLAINTS_FILE, FIGURES_FILE, OPTIONAL_COLUMNS, REQUIRED_COLUMNS,
                                     REASON_MEANINGS)
from brandrep.errors import InputError

RAW_SUBDIR = "raw"
ALIASES_FILE = "brand_aliases.csv"  # the case's own brands, added to the package's alias table
WINDOW = ("2024-01-01", "2024-12-31")  # the example rows' period, written into the case marker
PEER = "peer_brand"  # a second brand, so the comparison period has several brands
# What brandrep-case.json says about the case; `run --case` passes each to notebooks 03 and 04.
CASE_SETTINGS = ("brand", "platform", "window_start", "window_end", "comparison_start", "comparison_end")
# Notebooks `run --case` runs: 02 scores complaint texts, which a case of shares and counts has not.
CASE_NOTEBOOKS = ("01", "03", "04")
# Charts of a case: every chart except the two drawn from notebook 02's tables.
CASE_CHARTS = ("share_vs_share", "funnel", "tipping_point", "r_simulation", "claims_ledger")

COLUMN_MEANINGS = {
    "figure_id": "unique id of the figure (letters, digits, . _ -); complaint rows cite it in source_ids",
    "metric": "what the number is, in your words (shipments, revenue, complaint_total, ...)",
    "raw_value": "the value exactly as the source writes it (15.15%, 超过15.8万, 1747万套, CNY365.9 billion)",
    "source_name": "who published the number",
    "confidence": "high, medium or low: how far the source can be trusted",
    "entity": "what is counted, in your words",
    "brand": "brand as the source names it; empty for a whole market. Unknown brands are kept as written",
    "platform": "complaint platform the number belongs to",
    "category": "product category (home_appliances, smart_locks, ...)",
    "unit": "unit, only when raw_value names none (台, 套, CNY, %)",
    "kind": "reported, forecast or estimate",
    "measure": "set for a candidate denominator: shipments, retail_volume, odm_volume, revenue, installed_base, "
               "retail_share, market_volume",
    "scope": "what the count covers (global, online, mainland China, ...)",
    "basis": "whose count it is and how it was made",
    "period_start": "first day of the period (YYYY-MM-DD); empty = since the start",
    "period_end": "last day of the period (YYYY-MM-DD)",
    "as_of_date": "for cumulative counts: the date they run to",
    "source_url": "http(s) address of the source, if any",
    "published_date": "when the source was published",
    "page": "page or section of the source",
    "note": "your own remark",
    "record_id": "unique id of the row (optional)",
    "share": "brand's share of the platform's complaints (15.15%, <15.15%); give it with total",
    "count": "number of complaints against the brand (1,312, 超过15.8万)",
    "total": "platform total of complaints for the same period and category",
    "source_ids": "figure_id(s) in figures.csv (or your own citation ids) the row comes from, ';'-separated",
}


def _columns(kind: str) -> list[str]:
    return [*REQUIRED_COLUMNS[kind], *OPTIONAL_COLUMNS[kind]]


def example_rows(brand: str, platform: str) -> dict[str, list[dict]]:
    start, end = WINDOW
    source = {"source_name": "replace: your source", "confidence": "medium", "kind": "reported",
              "period_start": start, "period_end": end, "note": "invented example: replace"}
    figures = [
        dict(source, figure_id="F01", metric="complaint_total", entity=f"all complaints on {platform}",
             platform=platform, category="home_appliances", raw_value="1000", unit="件"),
        dict(source, figure_id="F02", metric="shipments", entity=f"{brand} shipments", brand=brand,
             category="home_appliances", raw_value="300万台", measure="shipments", scope="mainland China",
             basis="company report"),
        dict(source, figure_id="F03", metric="shipments", entity=f"{PEER} shipments", brand=PEER,
             category="home_appliances", raw_value="500万台", measure="shipments", scope="mainland China",
             basis="company report"),
    ]
    complaints = [
        {"record_id": "R01", "platform": platform, "period_start": start, "period_end": end,
         "category": "home_appliances", "brand": brand, "count": "120", "total": "1000", "source_ids": "F01",
         "note": "invented example: replace"},
        {"record_id": "R02", "platform": platform, "period_start": start, "period_end": end,
         "category": "home_appliances", "brand": PEER, "count": "150", "total": "1000", "source_ids": "F01",
         "note": "invented example: replace"},
    ]
    return {"figures": figures, "complaints": complaints}


def run_commands(case: Path, brand: str, platform: str) -> list[str]:
    """The command that runs notebooks 01 -> 03 -> 04 on the case, into the case folder."""
    return [shlex.join(["brandrep", "run", "--case", str(case)])]


def _readme(case: Path, brand: str, platform: str) -> str:
    lines = [f"# Case: {brand} on {platform}", "",
             "Raw tables for notebook 01, in `raw/`. Each has every column (required ones first) and invented",
             "example rows marked `invented example: replace`: replace them with your sourced numbers.", "",
             "1. Check each file: `brandrep check raw/figures.csv`, `brandrep check raw/complaint_shares.csv`.",
             f"2. Set the complaint window and the comparison period in `{CASE_MARKER}` to your rows' periods",
             "   (`window_start`, `window_end`: the period of the brand's complaints you test;",
             "   `comparison_start`, `comparison_end`: a period with several brands' counts on the platform).",
             "3. Run notebooks 01 → 03 → 04 into this folder (ledger in `data/processed/claims_ledger.md`,",
             "   charts in `figures/`, executed notebooks in `reports/`):", "",
             "```", *run_commands(case, brand, platform), "```", "",
             "It stops before any notebook starts on a rejected row (file, line, column, how to fix it)",
             "and on a brand that is in neither the package's alias table nor `raw/brand_aliases.csv`.",
             "`-p NAME VALUE` overrides a setting (`-p n_simulations 2000`); `brandrep run --help` lists them.", "",
             "Denominators are the figures rows with a `measure` (shipments, revenue, retail_share,",
             "market_volume, ...) and a unit that fits it: without one for your brand and the other brands",
             "in the same period, the claim test comes out n/a.",
             f"Every brand you name goes into `raw/{ALIASES_FILE}` (alias, brand key, Chinese and English",
             f"names): `{brand}` and `{PEER}` are there; add a row per spelling your sources use.", ""]
    for kind, file in (("figures", FIGURES_FILE), ("complaints", COMPLAINTS_FILE)):
        lines += [f"## raw/{file}", "", "| column | required | meaning |", "|---|---|---|"]
        for name in _columns(kind):
            required = "yes" if name in REQUIRED_COLUMNS[kind] else ""
            lines.append(f"| `{name}` | {required} | {COLUMN_MEANINGS.get(name, '')} |")
        lines.append("")
    lines += ["A complaint row needs a `share` with its `total`, or a `count`, or both (they must agree).", "",
              "## What a reject reason means", ""]
    lines += [f"- *{phrase}*: {meaning}" for phrase, meaning in REASON_MEANINGS.items()]
    return "\n".join(lines) + "\n"


# Marks a folder as a brandrep case, so `brandrep run --output CASE` may write its outputs beside
# the raw tables (a non-empty folder without it or a manifest is refused as someone else's).
CASE_MARKER = "brandrep-case.json"


def write_case(case, brand: str = "my_brand", platform: str = "my_platform", *, examples: bool = True) -> list[Path]:
    """Write raw/figures.csv, raw/complaint_shares.csv, raw/brand_aliases.csv, README.md and the
    case marker under ``case``; refuse to overwrite."""
    case = Path(case).resolve()
    raw = case / RAW_SUBDIR
    targets = {"figures": raw / FIGURES_FILE, "complaints": raw / COMPLAINTS_FILE}
    aliases = raw / ALIASES_FILE
    for path in [*targets.values(), aliases, case / "README.md", case / CASE_MARKER]:
        if path.exists():
            raise InputError("already exists; choose a new folder (nothing was overwritten)", path=path)
    brand, platform = brand.strip(), platform.strip()
    if not brand or not platform:
        raise InputError("brand and platform must not be empty", path=case)
    raw.mkdir(parents=True, exist_ok=True)
    rows = example_rows(brand, platform) if examples else {"figures": [], "complaints": []}
    for kind, path in targets.items():
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=_columns(kind), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows[kind])
    with aliases.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["alias", "brand", "name_zh", "name_en", "note"])
        # Names left blank: a chart shows the key until a row gives name_zh / name_en (the first such row wins).
        writer.writerow([brand, brand, "", "", "your brand: add a row per spelling your sources use; "
                         "name_zh and name_en name it on the charts"])
        writer.writerow([PEER, PEER, "", "", "invented example: replace"])
    readme = case / "README.md"
    readme.write_text(_readme(case, brand, platform), encoding="utf-8")
    marker = case / CASE_MARKER
    start, end = WINDOW
    settings = {"written_by": "brandrep new-case", "brand": brand, "platform": platform,
                "window_start": start, "window_end": end, "comparison_start": start, "comparison_end": end}
    marker.write_text(json.dumps(settings, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [*targets.values(), aliases, readme, marker]


@dataclass(frozen=True)
class Case:
    """A case folder written by `brandrep new-case`: where its raw tables are and what it tests."""

    folder: Path
    settings: dict

    @property
    def figures_path(self) -> Path:
        return self.folder / RAW_SUBDIR / FIGURES_FILE

    @property
    def complaints_path(self) -> Path:
        return self.folder / RAW_SUBDIR / COMPLAINTS_FILE

    @property
    def aliases_path(self) -> Path:
        return self.folder / RAW_SUBDIR / ALIASES_FILE

    def parameters(self) -> list[tuple[str, str]]:
        """``-p`` pairs for notebooks 01, 03 and 04: 01 reads the case's raw files, 03 reads what
        01 wrote into the case (its own ``complaints_path`` left empty), 04 draws the case's charts."""
        pairs = [("01:figures_path", str(self.figures_path)), ("01:complaints_path", str(self.complaints_path))]
        pairs += [(name, str(self.settings[name])) for name in CASE_SETTINGS]
        pairs.append(("04:charts_to_build", ",".join(CASE_CHARTS)))
        return pairs


def read_case(folder) -> Case:
    """The case in ``folder``, or an InputError naming the file and what is missing."""
    folder = Path(folder).resolve()
    marker = folder / CASE_MARKER
    if not marker.is_file():
        raise InputError(f"not a case folder (no {CASE_MARKER}); write one with `brandrep new-case {folder}`",
                         path=folder)
    try:
        settings = json.loads(marker.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"not readable as JSON ({error})", path=marker) from None
    missing = [name for name in CASE_SETTINGS if not str(settings.get(name) or "").strip()]
    if missing:
        raise InputError(f"missing {', '.join(missing)}: add them (the complaint window and comparison period "
                         "as YYYY-MM-DD, brand and platform as in raw/complaint_shares.csv)", path=marker)
    case = Case(folder, {name: str(settings[name]).strip() for name in CASE_SETTINGS})
    for path in (case.figures_path, case.complaints_path):
        if not path.is_file():
            raise InputError("missing: the case's raw tables are raw/figures.csv and raw/complaint_shares.csv",
                             path=path)
    return case


def check_case(case: Case) -> None:
    """Stop before any notebook runs on the first problem of the case's raw tables: a rejected row
    (file, line, column, reason and its fix) or a brand in no alias table (a typo would otherwise
    become a brand of its own). Notebook 01 on the checkout's data keeps rejected rows aside and
    goes on; a case is the researcher's own file, where each reject is something to fix now."""
    import warnings

    from brandrep.brands import UnknownBrandWarning, is_known, known_brands
    from brandrep.cleaning.build import check_file, reason_meaning

    for kind, path in (("figures", case.figures_path), ("complaints", case.complaints_path)):
        result = check_file(path, kind=kind)
        rejects = result.rejects
        if len(rejects):
            first = rejects.iloc[0]
            fix = reason_meaning(first["reason"])
            more = f" ({len(rejects) - 1} more rejected row(s): `brandrep check {path}` lists them)" if len(rejects) > 1 else ""
            raise InputError(f"{first['reason']} [{first['raw']}]" + (f". Fix: {fix}" if fix else "") + more,
                             path=path, row=int(first["line"]), column=first["column"] or None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownBrandWarning)
            for line, brand in zip(result.raw.frame["_line"], result.raw.frame["brand"]):
                if brand and not is_known(brand):
                    raise InputError(
                        f"brand {brand!r} is in no alias table. Fix: if it is a spelling of a brand you named "
                        f"elsewhere, write that; else add a row `{brand},KEY,中文名,English name,` to "
                        f"{case.aliases_path} (known keys: {', '.join(known_brands())})",
                        path=path, row=int(line), column="brand")
