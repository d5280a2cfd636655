"""Every editor's chart from the processed tables: what notebook 04 runs.

Reads the contract tables from ``data/processed`` (written by notebooks 01-03), draws each
chart in both languages with :func:`save_chart`, and returns the saved charts for the manifest
and the gallery. One chart per complaint window of ``claim_shares`` and one funnel per dataset
of ``funnel_points``, so another brand, platform or period needs no code change. A table that
is missing stops the run with the chart and the file named; a table that exists but has no
rows for a chart (no sourced denominator, hence no simulation) skips that chart with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from brandrep.charts.claims import DOT_PREFIX, dataset_label, funnel, r_simulation, share_vs_share, tipping_point
from brandrep.charts.ledger import claims_ledger
from brandrep.charts.save import SavedChart, save_chart
from brandrep.charts.tables import iso_date
from brandrep.charts.texts import sentiment_by_brand, topics_by_brand
from brandrep.errors import BrandrepError
from brandrep.paths import processed_dir

NOTEBOOK = "04_charts"
# chart -> the processed tables it reads (file stems)
CHART_TABLES = {
    "share_vs_share": ("claim_shares",),
    "funnel": ("funnel_points", "funnel_limits"),
    "tipping_point": ("tipping_point", "exposure_markers"),
    "r_simulation": ("r_simulation",),
    "topics_by_brand": ("topics_by_brand",),
    "sentiment_by_brand": ("sentiment_by_brand",),
    "claims_ledger": ("claims_ledger",),
}


@dataclass
class ChartRun:
    saved: list[SavedChart] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (chart, reason)


def load_table(stem: str, chart: str, folder: Path | None = None) -> pd.DataFrame:
    """A processed table (Parquet, else the BOM CSV), or an error naming the chart and the file."""
    folder = Path(folder) if folder is not None else processed_dir()
    parquet, csv = folder / f"{stem}.parquet", folder / f"{stem}.csv"
    if parquet.is_file():
        return pd.read_parquet(parquet)
    if csv.is_file():
        return pd.read_csv(csv, encoding="utf-8-sig")
    raise BrandrepError(
        f"chart {chart!r}: input table {stem!r} is missing ({parquet} not found); "
        "run the notebook that writes it first (01 clean, 02 sentiment, 03 claim test)"
    )


def complaint_sources(platform: str, start: str, end: str, folder: Path | None = None) -> dict | None:
    """Who published a window's complaint figures, per language, from the data itself.

    ``complaints.source_ids`` name rows of ``figures``; their ``source_name``, ``published_date``
    and ``page`` make the source line. None when either table is missing (the charts then use
    the strings table's default line).
    """
    from brandrep.charts.strings import label, value_label

    try:
        complaints, figures = load_table("complaints", "source line", folder), load_table("figures", "source line", folder)
    except BrandrepError:
        return None
    if not {"platform", "period_start", "period_end", "source_ids"} <= set(complaints.columns) or \
            not {"figure_id", "source_name", "published_date"} <= set(figures.columns):
        return None
    rows = complaints[(complaints["platform"].astype(str) == platform) & (complaints["period_start"].map(iso_date) == start)
                      & (complaints["period_end"].map(iso_date) == end)]
    ids = sorted({i.strip() for cell in rows["source_ids"].dropna().astype(str) for i in cell.split(";") if i.strip()})
    found = figures[figures["figure_id"].astype(str).isin(ids)]
    if found.empty:
        return None
    out = {}
    for lang in ("zh", "en"):
        names = []
        for _, row in found.sort_values("figure_id", kind="stable").iterrows():
            page = row.get("page")
            parts = [value_label("publisher", row["source_name"], lang), row["published_date"]]
            if page is not None and str(page) not in ("", "nan", "<NA>", "None"):
                parts.append(label("common", "page", lang, page=page))
            parts = [str(p) for p in parts if p is not None and str(p) not in ("", "nan", "<NA>", "None")]
            text = " ".join(parts) if lang == "zh" else ", ".join(parts)
            if text not in names:
                names.append(text)
        out[lang] = label("common", "item_separator", lang).join(names)
    return out


def _data_files(stems) -> list[str]:
    return [f"data/processed/{stem}.csv" for stem in stems]


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(text).lower()).strip("_")


def build_all(*, brand: str = "xiaomi", window: tuple[str, str] | None = None, folder: Path | None = None,
              tables_folder: Path | None = None, charts: tuple[str, ...] = tuple(CHART_TABLES)) -> ChartRun:
    """Draw and save every chart in ``charts``; returns what was saved and what was skipped.

    ``window`` (start, end) is the complaint window whose share-vs-share chart is named plainly
    ``share_vs_share``; other windows get ``share_vs_share_START_END`` (default: the first window).
    """
    unknown = sorted(set(charts) - set(CHART_TABLES))
    if unknown:
        raise BrandrepError(f"unknown chart(s) {unknown}; known: {', '.join(CHART_TABLES)}")
    run = ChartRun()
    primary_sources = ("消费保", None)  # platform and complaint sources of the main window

    def table(stem, chart):
        return load_table(stem, chart, tables_folder)

    if "share_vs_share" in charts:
        shares = table("claim_shares", "share_vs_share")
        windows = list(dict.fromkeys(zip(shares["platform"].astype(str), shares["period_start"].map(iso_date),
                                         shares["period_end"].map(iso_date))))
        if not windows:
            run.skipped.append(("share_vs_share", "claim_shares has no rows"))
        primary = next((w for w in windows if window and (w[1], w[2]) == (iso_date(window[0]), iso_date(window[1]))),
                       windows[0] if windows else None)
        for platform, start, end in windows:
            plain = (platform, start, end) == primary
            name = "share_vs_share" if plain else f"share_vs_share_{start.replace('-', '')}_{end.replace('-', '')}"
            window = shares[(shares["platform"].astype(str) == platform) & (shares["period_start"].map(iso_date) == start)
                            & (shares["period_end"].map(iso_date) == end)]
            if pd.to_numeric(window["exposure_share"], errors="coerce").notna().sum() == 0:
                run.skipped.append((name, f"no brand has a sourced exposure share for {platform} {start} to {end}"))
                continue
            sources = complaint_sources(platform, start, end, tables_folder)
            if plain:
                primary_sources = (platform, sources)
            run.saved.append(save_chart(share_vs_share, shares, name=name, notebook=NOTEBOOK,
                                        data_files=_data_files(["claim_shares", "complaints", "figures"]),
                                        folder=folder, platform=platform, period_start=start, period_end=end,
                                        highlight=brand, sources=sources))
    if "funnel" in charts:
        points, limits = table("funnel_points", "funnel"), table("funnel_limits", "funnel")
        datasets = list(dict.fromkeys(points["dataset"].astype(str)))
        brand_sets = [d for d in datasets if not d.startswith(DOT_PREFIX)]
        for dataset in datasets:
            if dataset.startswith(DOT_PREFIX):
                name, chart, highlight = f"funnel_dot_{_slug(dataset[len(DOT_PREFIX):])}", "funnel_dot", None
            else:
                measure = re.search(r" vs (\S+)$", dataset)
                suffix = measure.group(1) if measure else str(brand_sets.index(dataset) + 1)
                name = "funnel" if len(brand_sets) == 1 else f"funnel_{_slug(suffix)}"
                chart, highlight = "funnel", brand
            run.saved.append(save_chart(funnel, points, limits, name=name, notebook=NOTEBOOK, chart=chart,
                                        data_files=_data_files(["funnel_points", "funnel_limits"]), folder=folder,
                                        dataset=dataset, highlight=highlight))
        if not datasets:
            run.skipped.append(("funnel", "funnel_points has no rows"))
    if "tipping_point" in charts:
        curve, markers = table("tipping_point", "tipping_point"), table("exposure_markers", "tipping_point")
        if (curve["brand"].astype(str) == brand).any():
            run.saved.append(save_chart(tipping_point, curve, markers, notebook=NOTEBOOK, folder=folder, brand=brand,
                                        platform=primary_sources[0], sources=primary_sources[1],
                                        data_files=_data_files(["tipping_point", "exposure_markers"])))
        else:
            run.skipped.append(("tipping_point", f"tipping_point has no rows for brand {brand!r}"))
    if "r_simulation" in charts:
        simulation = table("r_simulation", "r_simulation")
        if len(simulation):
            run.saved.append(save_chart(r_simulation, simulation, notebook=NOTEBOOK, folder=folder, brand=brand,
                                        platform=primary_sources[0], sources=primary_sources[1],
                                        data_files=_data_files(["r_simulation"])))
        else:
            run.skipped.append(("r_simulation", "r_simulation has no draws (no sourced exposure range for the brand)"))
    for name, function in (("topics_by_brand", topics_by_brand), ("sentiment_by_brand", sentiment_by_brand)):
        if name in charts:
            frame = table(name, name)
            if len(frame):
                run.saved.append(save_chart(function, frame, notebook=NOTEBOOK, folder=folder, highlight=brand,
                                            data_files=_data_files([name])))
            else:
                run.skipped.append((name, f"{name} has no rows"))
    if "claims_ledger" in charts:
        ledger = table("claims_ledger", "claims_ledger")
        if len(ledger):
            run.saved.append(save_chart(claims_ledger, ledger, notebook=NOTEBOOK, folder=folder, brand=brand,
                                        data_files=_data_files(["claims_ledger"])))
        else:
            run.skipped.append(("claims_ledger", "claims_ledger has no rows"))
    return run


__all__ = ["ChartRun", "build_all", "dataset_label", "load_table"]
