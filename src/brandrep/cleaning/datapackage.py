"""Frictionless ``datapackage.json`` generated from the data dictionary (never edited by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from brandrep.cleaning.dictionary import TABLES
from brandrep.io import write_text


def descriptor(tables) -> dict:
    resources = []
    for name in tables:
        spec = TABLES[name]
        resources.append({
            "name": name,
            "path": f"{name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "description": spec["description"] + f" Also written as {name}.parquet with the same columns.",
            "schema": {"fields": [{"name": column, "type": kind, "description": text}
                                  for column, (kind, text) in spec["columns"].items()]},
        })
    return {
        "name": "brandrep-processed",
        "title": "brandrep processed tables (notebooks 01-03)",
        "description": "Complaint counts and shares, candidate denominators and every sourced figure behind the "
                       "'high sales, low reputation' claim, each with its source and qualifier (notebook 01, from "
                       "data/raw/; rejected raw rows are in rejects); sentiment and topic tables of the illustrative "
                       "labelled sample (notebook 02); and the claim test's tables and ledger (notebook 03).",
        "licenses": [{"name": "other-at", "title": "Figures belong to their sources; see data/raw/README.md"}],
        "resources": resources,
    }


def write_datapackage(out_dir, tables=None) -> Path:
    """Describe ``tables``, by default every dictionary table present in ``out_dir``.

    Notebooks 01, 02 and 03 each call this after writing, so the last one describes all of them,
    and a run of one notebook describes the same set as a run of the whole suite.
    """
    out_dir = Path(out_dir)
    if tables is None:
        tables = [name for name in TABLES if (out_dir / f"{name}.csv").is_file()]
    text = json.dumps(descriptor(tables), ensure_ascii=False, indent=2) + "\n"
    return write_text(Path(out_dir) / "datapackage.json", text)
