"""Frictionless ``datapackage.json`` generated from the data dictionary (never edited by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from brandrep.cleaning.dictionary import TABLES
from brandrep.io import write_text


def descriptor(tables=("figures", "complaints", "denominators", "rejects")) -> dict:
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
        "title": "brandrep processed tables (notebook 01_clean_data)",
        "description": "Complaint counts and shares, candidate denominators and every sourced figure behind the "
                       "'high sales, low reputation' claim, each with its source and qualifier. Built from data/raw/ "
                       "by brandrep.cleaning; rejected raw rows are in rejects.",
        "licenses": [{"name": "other-at", "title": "Figures belong to their sources; see data/raw/README.md"}],
        "resources": resources,
    }


def write_datapackage(out_dir, tables=("figures", "complaints", "denominators", "rejects")) -> Path:
    text = json.dumps(descriptor(tables), ensure_ascii=False, indent=2) + "\n"
    return write_text(Path(out_dir) / "datapackage.json", text)
