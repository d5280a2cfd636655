"""Templates of the raw tables notebook 01 reads, for a researcher's own brand and platform.

`brandrep new-case DIR` writes them; they carry every column of each raw kind (required ones
first), example rows that pass `brandrep check`, and a README saying what each column means.
The example numbers are invented placeholders, marked so in their notes, to be replaced.
"""

from __future__ import annotations

import csv
import json
import shlex
from pathlib import Path

from brandrep.cleaning.build import (COMPLAINTS_FILE, FIGURES_FILE, OPTIONAL_COLUMNS, REQUIRED_COLUMNS,
                                     REASON_MEANINGS)
from brandrep.errors import InputError

RAW_SUBDIR = "raw"
WINDOW = ("2024-01-01", "2024-12-31")  # the example rows' period; the run command passes it
PEER = "peer_brand"  # a second brand, so the comparison period has several brands

COLUMN_MEANINGS = {
    "figure_id": "unique id of the figure (letters, digits, . _ -); complaint rows cite it in source_ids",
    "metric": "what the number is, in your words (shipments, revenue, complaint_total, ...)",
    "raw_value": "the value exactly as the source writes it (15.15%, 超过15.8万, 1747万套, CNY365.9 billion)",
    "source_name": "who published the number",
    "confidence": "high | medium | low: how far the source can be trusted",
    "entity": "what is counted, in your words",
    "brand": "brand as the source names it; empty for a whole market. Unknown brands are kept as written",
    "platform": "complaint platform the number belongs to",
    "category": "product category (home_appliances, smart_locks, ...)",
    "unit": "unit, only when raw_value names none (台, 套, CNY, %)",
    "kind": "reported | forecast | estimate",
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
    """Two runs into the case folder: 01 on the case's raw files, then 03 and 04 on 01's tables.

    Two, because notebooks 01 and 03 both take a ``complaints_path`` with different schemas (raw
    for 01, processed for 03); 03 finds 01's tables in the case folder when the path is left empty."""
    raw = case / RAW_SUBDIR
    start, end = WINDOW
    clean = ["brandrep", "run", "01", "--output", str(case),
             "-p", "figures_path", str(raw / FIGURES_FILE), "-p", "complaints_path", str(raw / COMPLAINTS_FILE)]
    analyse = ["brandrep", "run", "03", "04", "--output", str(case), "-p", "brand", brand, "-p", "platform", platform,
               "-p", "window_start", start, "-p", "window_end", end,
               "-p", "comparison_start", start, "-p", "comparison_end", end]
    return [shlex.join(clean), shlex.join(analyse)]


def _readme(case: Path, brand: str, platform: str) -> str:
    lines = [f"# Case: {brand} on {platform}", "",
             "Raw tables for notebook 01, in `raw/`. Each has every column (required ones first) and invented",
             "example rows marked `invented example: replace`: replace them with your sourced numbers.", "",
             "1. Check each file: `brandrep check raw/figures.csv`, `brandrep check raw/complaint_shares.csv`.",
             "2. Run notebooks 01 → 03 → 04 into this folder (ledger in `data/processed/claims_ledger.md`,",
             "   charts in `figures/`):", "", "```", *run_commands(case, brand, platform), "```", "",
             "Change the window and comparison dates to your rows' periods. Denominators are the figures",
             "rows with a `measure` (shipments, revenue, retail_share, market_volume, ...): without one for",
             "your brand and the other brands in the same period, the claim test comes out n/a.",
             f"A brand not in the package's alias table is kept as written (`{brand}`): spell it the same",
             "way in every file and in `-p brand`.", ""]
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
    """Write raw/figures.csv, raw/complaint_shares.csv and README.md under ``case``; refuse to overwrite."""
    case = Path(case).resolve()
    raw = case / RAW_SUBDIR
    targets = {"figures": raw / FIGURES_FILE, "complaints": raw / COMPLAINTS_FILE}
    for path in [*targets.values(), case / "README.md", case / CASE_MARKER]:
        if path.exists():
            raise InputError("already exists; choose a new folder (nothing was overwritten)", path=path)
    if not brand.strip() or not platform.strip():
        raise InputError("brand and platform must not be empty", path=case)
    raw.mkdir(parents=True, exist_ok=True)
    rows = example_rows(brand.strip(), platform.strip()) if examples else {"figures": [], "complaints": []}
    for kind, path in targets.items():
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=_columns(kind), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows[kind])
    readme = case / "README.md"
    readme.write_text(_readme(case, brand.strip(), platform.strip()), encoding="utf-8")
    marker = case / CASE_MARKER
    marker.write_text(json.dumps({"written_by": "brandrep new-case", "brand": brand.strip(),
                                  "platform": platform.strip()}, ensure_ascii=False) + "\n", encoding="utf-8")
    return [*targets.values(), readme, marker]
