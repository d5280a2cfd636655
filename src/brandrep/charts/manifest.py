"""figures/manifest.csv: which file is which chart, who made it from what, and its checksum.

One row per file (each language and format, plus the chart's data CSV), so an editor can filter
by format and a reviewer can check every checksum. Rows are sorted by chart, language and
format, and nothing time- or machine-dependent is written, so the manifest is itself
byte-identical on rerun.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd

from brandrep.charts.save import FORMAT_NAMES, SavedChart, sha256
from brandrep.charts.strings import LANGUAGES
from brandrep.errors import BrandrepError
from brandrep.io.writing import write_table
from brandrep.paths import figures_dir

MANIFEST_STEM = "manifest"
MANIFEST_COLUMNS = ("chart", "language", "format", "file", "title_zh", "title_en", "notebook", "function",
                    "data_files", "source_zh", "source_en", "sha256")


def manifest_frame(saved: Iterable[SavedChart], folder: Path) -> pd.DataFrame:
    rows = []
    seen = set()
    for chart in sorted(saved, key=lambda s: s.name):
        if chart.name in seen:
            raise BrandrepError(f"chart {chart.name!r} is listed twice in the manifest")
        seen.add(chart.name)
        common = dict(chart=chart.name, title_zh=chart.titles.get("zh", ""), title_en=chart.titles.get("en", ""),
                      notebook=chart.notebook, function=chart.function, data_files=";".join(chart.data_files),
                      source_zh=chart.sources.get("zh", ""), source_en=chart.sources.get("en", ""))
        entries = [(lang, fmt, chart.files[(lang, fmt)]) for lang in LANGUAGES for fmt in FORMAT_NAMES
                   if (lang, fmt) in chart.files]
        entries.append(("", "csv", chart.data_file))
        for lang, fmt, file_name in entries:
            path = folder / file_name
            if not path.is_file():
                raise BrandrepError(f"chart {chart.name!r}: file {file_name} is missing from {folder}")
            rows.append({**common, "language": lang, "format": fmt, "file": file_name, "sha256": sha256(path)})
    return pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS))


def write_manifest(saved: Iterable[SavedChart], folder: str | Path | None = None) -> Path:
    """Write ``manifest.csv`` (UTF-8 with BOM) describing every saved chart file."""
    folder = Path(folder) if folder is not None else figures_dir()
    frame = manifest_frame(saved, folder)
    write_table(frame, folder / MANIFEST_STEM, formats=("csv",))
    return folder / f"{MANIFEST_STEM}.csv"


def prune_stale(saved: Iterable[SavedChart], folder: str | Path | None = None) -> list[str]:
    """Remove files in the figures folder that this run did not make (charts renamed or dropped).

    notebook 04 is the only writer of ``figures/``; after a full run the folder then holds exactly
    the charts in the manifest, the manifest and the gallery. Returns the removed file names.
    """
    folder = Path(folder) if folder is not None else figures_dir()
    keep = {f"{MANIFEST_STEM}.csv", "index.html"}
    for chart in saved:
        keep.update(chart.files.values())
        keep.add(chart.data_file)
    removed = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name not in keep:
            path.unlink()
            removed.append(path.name)
    return removed


def read_manifest(folder: str | Path | None = None) -> pd.DataFrame:
    folder = Path(folder) if folder is not None else figures_dir()
    path = folder / f"{MANIFEST_STEM}.csv"
    if not path.is_file():
        raise BrandrepError(f"no chart manifest at {path}; run notebook 04_charts")
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def check_manifest(folder: str | Path | None = None) -> list[str]:
    """Files whose checksum differs from the manifest, or which are missing (empty list: all good)."""
    folder = Path(folder) if folder is not None else figures_dir()
    problems = []
    for row in read_manifest(folder).itertuples():
        path = folder / row.file
        if not path.is_file():
            problems.append(f"{row.file}: missing")
        elif sha256(path) != row.sha256:
            problems.append(f"{row.file}: checksum differs from the manifest")
    return problems
