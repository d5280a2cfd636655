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

from brandrep.charts.claims import CROSS_SECTION, DOT_PREFIX, dataset_label, funnel, r_simulation, share_vs_share, tipping_point
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


MAX_SOURCES = 6  # a source line an editor can print: the first publications, then "and N more"
_RELAY = re.compile(r"\s*\([^)]*\b(?:via|repost|mirror|per)\b[^)]*\)")
_CITING = re.compile(r"\s+(?:citing|per|via|on the|summary of)\s+.*$")


def publication_name(source_name: str, lang: str) -> str:
    """The publication, in the chart's language: the strings table's name for the source as
    written, else for the source without its relay ("(via xyz.com repost)", "citing ..."),
    which the sources table keeps for provenance but a printed source line does not need."""
    from brandrep.charts.strings import value_label

    text = str(source_name)
    named = value_label("publisher", text, lang)
    if named != text:
        return named
    return value_label("publisher", _CITING.sub("", _RELAY.sub("", text)).strip(), lang)


def _publications(figure_ids, figures: pd.DataFrame) -> dict | None:
    """{lang: "publication date[, page]; ..."} for rows of ``figures``, in figure-id order, or None."""
    from brandrep.charts.strings import label

    found = figures[figures["figure_id"].astype(str).isin(set(figure_ids))]
    if found.empty:
        return None
    out = {}
    for lang in ("zh", "en"):
        names = []
        for _, row in found.sort_values("figure_id", kind="stable").iterrows():
            page = row.get("page")
            parts = [publication_name(row["source_name"], lang), row["published_date"]]
            if page is not None and str(page) not in ("", "nan", "<NA>", "None"):
                parts.append(label("common", "page", lang, page=page))
            parts = [str(p) for p in parts if p is not None and str(p) not in ("", "nan", "<NA>", "None")]
            text = " ".join(parts) if lang == "zh" else ", ".join(parts)
            if text not in names:
                names.append(text)
        shown = names[:MAX_SOURCES]
        if len(names) > MAX_SOURCES:
            shown.append(label("common", "more_sources", lang, n=len(names) - MAX_SOURCES))
        out[lang] = label("common", "item_separator", lang).join(shown)
    return out


def _ids(cells) -> list[str]:
    return sorted({i.strip() for cell in pd.Series(cells).dropna().astype(str) for i in cell.split(";") if i.strip()})


def complaint_sources(platform: str, start: str, end: str, folder: Path | None = None) -> dict | None:
    """Who published a window's complaint figures, per language, from the data itself.

    ``complaints.source_ids`` name rows of ``figures``; their ``source_name``, ``published_date``
    and ``page`` make the source line. None when either table is missing (the charts then use
    the strings table's default line).
    """
    try:
        complaints, figures = load_table("complaints", "source line", folder), load_table("figures", "source line", folder)
    except BrandrepError:
        return None
    if not {"platform", "period_start", "period_end", "source_ids"} <= set(complaints.columns) or \
            not {"figure_id", "source_name", "published_date"} <= set(figures.columns):
        return None
    rows = complaints[(complaints["platform"].astype(str) == platform) & (complaints["period_start"].map(iso_date) == start)
                      & (complaints["period_end"].map(iso_date) == end)]
    return _publications(_ids(rows["source_ids"]), figures)


def exposure_sources(measures, brands, start: str, end: str, folder: Path | None = None) -> dict | None:
    """Who published the volume figures behind ``measures`` (claim_shares' ``exposure_measure``
    values such as ``retail_share:air_conditioners`` or ``odm_volume/market_volume:smart_locks``)
    for ``brands`` in the window, per language; None when the tables are missing or name no source.

    The denominators' rows are those notebook 03 may use for the window
    (:func:`brandrep.stats.inputs.usable_denominators`) with the measure, the category and the
    brand (or ``all``, for market totals) of each measure.
    """
    from brandrep.stats.inputs import usable_denominators

    try:
        denominators, figures = load_table("denominators", "source line", folder), load_table("figures", "source line", folder)
    except BrandrepError:
        return None
    if not {"brand", "measure", "category", "source_ids", "period_start", "period_end", "qualifier"} <= \
            set(denominators.columns) or not {"figure_id", "source_name", "published_date"} <= set(figures.columns):
        return None
    usable = usable_denominators(denominators, start, end)
    ids = []
    for text in dict.fromkeys(map(str, measures)):
        measure, _, scope = text.partition(":")
        wanted = set(map(str, brands)) | {"all"}
        category = None
        if "," in scope:
            wanted = set(scope.split(","))
        elif scope:
            category = scope
        for part in measure.split("/"):
            base = part.replace("_share_among", "").replace("_share", "") if part.startswith("revenue") else part
            rows = usable[(usable["measure"].astype(str) == base) & usable["brand"].astype(str).isin(wanted)]
            in_category = rows[rows["category"].astype(str) == category] if category else rows
            ids += _ids((in_category if len(in_category) else rows)["source_ids"])
    return _publications(ids, figures) if ids else None


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

    def table(stem, chart):
        return load_table(stem, chart, tables_folder)

    def window_measures(shares, platform, start, end, brands=None):
        rows = shares[(shares["platform"].astype(str) == platform) & (shares["period_start"].map(iso_date) == start)
                      & (shares["period_end"].map(iso_date) == end)]
        if brands is not None:
            rows = rows[rows["brand"].astype(str).isin(brands)]
        rows = rows[pd.to_numeric(rows["exposure_share"], errors="coerce").notna()]
        return list(dict.fromkeys(rows["exposure_measure"].astype(str))), sorted(set(rows["brand"].astype(str)))

    # The main complaint window (platform, start, end): the tipping point and the simulation are
    # computed for it (notebook 03), so their titles and source lines name it.
    shares, windows, primary = None, [], None
    if {"share_vs_share", "tipping_point", "r_simulation"} & set(charts):
        try:
            shares = table("claim_shares", "share_vs_share")
        except BrandrepError:
            if "share_vs_share" in charts:
                raise
    if shares is not None:
        windows = list(dict.fromkeys(zip(shares["platform"].astype(str), shares["period_start"].map(iso_date),
                                         shares["period_end"].map(iso_date))))
        primary = next((w for w in windows if window and (w[1], w[2]) == (iso_date(window[0]), iso_date(window[1]))),
                       windows[0] if windows else None)
    window_fields = {}
    if primary is not None:
        measures, _ = window_measures(shares, *primary, brands=[brand])
        window_fields = dict(platform=primary[0], period_start=primary[1], period_end=primary[2],
                             sources=complaint_sources(*primary, tables_folder),
                             volume_sources=exposure_sources(measures, [brand], primary[1], primary[2], tables_folder))

    if "share_vs_share" in charts:
        if not windows:
            run.skipped.append(("share_vs_share", "claim_shares has no rows"))
        for platform, start, end in windows:
            plain = (platform, start, end) == primary
            name = "share_vs_share" if plain else f"share_vs_share_{start.replace('-', '')}_{end.replace('-', '')}"
            window = shares[(shares["platform"].astype(str) == platform) & (shares["period_start"].map(iso_date) == start)
                            & (shares["period_end"].map(iso_date) == end)]
            if pd.to_numeric(window["exposure_share"], errors="coerce").notna().sum() == 0:
                run.skipped.append((name, f"no brand has a sourced exposure share for {platform} {start} to {end}"))
                continue
            measures, brands = window_measures(shares, platform, start, end)
            run.saved.append(save_chart(share_vs_share, shares, name=name, notebook=NOTEBOOK,
                                        data_files=_data_files(["claim_shares", "complaints", "figures", "denominators"]),
                                        folder=folder, platform=platform, period_start=start, period_end=end,
                                        highlight=brand, sources=complaint_sources(platform, start, end, tables_folder),
                                        volume_sources=exposure_sources(measures, brands, start, end, tables_folder)))
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
            section = CROSS_SECTION.match(dataset)
            source_fields = {}
            if section:  # a brand cross-section: who published its complaints and its volumes
                units = sorted(set(points.loc[points["dataset"].astype(str) == dataset, "unit"].astype(str)))
                source_fields = dict(
                    sources=complaint_sources(section["platform"], section["start"], section["end"], tables_folder),
                    volume_sources=exposure_sources([section["measure"]], units, section["start"], section["end"],
                                                    tables_folder))
            run.saved.append(save_chart(funnel, points, limits, name=name, notebook=NOTEBOOK, chart=chart,
                                        data_files=_data_files(["funnel_points", "funnel_limits"]), folder=folder,
                                        dataset=dataset, highlight=highlight, **source_fields))
        if not datasets:
            run.skipped.append(("funnel", "funnel_points has no rows"))
    if "tipping_point" in charts:
        curve, markers = table("tipping_point", "tipping_point"), table("exposure_markers", "tipping_point")
        if (curve["brand"].astype(str) == brand).any():
            run.saved.append(save_chart(tipping_point, curve, markers, notebook=NOTEBOOK, folder=folder, brand=brand,
                                        data_files=_data_files(["tipping_point", "exposure_markers"]), **window_fields))
        else:
            run.skipped.append(("tipping_point", f"tipping_point has no rows for brand {brand!r}"))
    if "r_simulation" in charts:
        simulation = table("r_simulation", "r_simulation")
        if len(simulation):
            run.saved.append(save_chart(r_simulation, simulation, notebook=NOTEBOOK, folder=folder, brand=brand,
                                        data_files=_data_files(["r_simulation"]), **window_fields))
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
