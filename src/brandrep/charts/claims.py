"""Charts of the claim test (notebook 03's tables): is the complaint count just volume?

Each function reads contract tables from ``data/processed`` (see contracts.md), draws one chart
in the house style in one language, and returns the Figure (notebook 03 shows it inline;
notebook 04 saves it with :func:`brandrep.charts.save_chart`). Method: docs/methods.md section 1,
steps 2 (share-share scatter with the 45-degree "just volume" line), 5 (Spiegelhalter 2005
funnel plot, plain and over-dispersion-adjusted limits) and 7 (tipping-point curve and the Monte
Carlo distribution of R over sourced denominator ranges).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from brandrep.charts.strings import COMMON, label, measure_label, value_label
from brandrep.charts.style import (
    HIGHLIGHT, MARKERS, MUTED, OKABE_ITO, PEER, REFERENCE, finish_figure, house_style, new_figure, note_if_sparse,
    wrap,
)

LEGEND_SIZE = 8.5
from brandrep.charts.tables import iso_date, numeric, percent_scale, require_columns, require_rows, truthy
from brandrep.errors import BrandrepError

CLAIM_SHARES_COLUMNS = (
    "platform", "period_start", "period_end", "brand", "complaints", "total", "share", "share_low",
    "share_high", "exposure_measure", "exposure_share", "exposure_share_low", "exposure_share_high",
    "rests_on_bound",
)
FUNNEL_POINTS_COLUMNS = ("dataset", "unit", "observed", "exposure", "expected", "ratio", "z_plain", "z_adjusted")
FUNNEL_LIMITS_COLUMNS = (
    "dataset", "exposure", "target", "lower_95", "upper_95", "lower_998", "upper_998",
    "lower_95_adj", "upper_95_adj", "lower_998_adj", "upper_998_adj", "phi", "tau2",
)
TIPPING_COLUMNS = ("brand", "exposure_share", "rate_ratio", "rate_ratio_low", "rate_ratio_high",
                   "p_binomial", "p_overdispersed", "phi")
MARKER_COLUMNS = ("brand", "label", "exposure_share")
R_SIMULATION_COLUMNS = ("draw", "rate_ratio", "flagged")
P_FLOOR = 1e-6
DOT_PREFIX = "us_dot"  # notebook 03's US DOT validation datasets


def _source(chart: str, lang: str, sources: dict | None = None, volume_sources: dict | None = None, **fields) -> str:
    """The source line, naming the publications (and dates) of the complaint and volume figures.

    ``sources`` / ``volume_sources`` ({lang: text}) come from the data's own source columns
    (:func:`brandrep.charts.suite.complaint_sources`, :func:`~brandrep.charts.suite.exposure_sources`);
    without them the line says the figures are listed in the project's sources table.
    """
    complaints = (sources or {}).get(lang) or label(chart, "complaint_sources_unknown", lang)
    volume = (volume_sources or {}).get(lang) or label(chart, "volume_sources_unknown", lang)
    return label(chart, "source", lang, complaint_sources=complaints, volume_sources=volume, **fields)


def _period(chart: str, lang: str, start, end) -> str:
    """'2024-10-14 to 2024-11-11'; empty when the caller did not name the window (the chart then
    uses its strings without a window)."""
    if start is None or end is None:
        return ""
    return label(chart, "period", lang, start=iso_date(start), end=iso_date(end))


def _select_window(df: pd.DataFrame, chart: str, platform, period_start, period_end) -> pd.DataFrame:
    if platform is not None:
        df = df[df["platform"] == platform]
    if period_start is not None:
        df = df[df["period_start"].map(iso_date) == iso_date(period_start)]
    if period_end is not None:
        df = df[df["period_end"].map(iso_date) == iso_date(period_end)]
    require_rows(df, chart, "claim_shares", "for the chosen platform and period")
    windows = sorted({(str(p), iso_date(s), iso_date(e)) for p, s, e in
                      zip(df["platform"], df["period_start"], df["period_end"])})
    if len(windows) > 1:
        listed = "; ".join(" ".join(w) for w in windows)
        raise BrandrepError(
            f"chart {chart!r}: claim_shares holds several complaint windows ({listed}); "
            "choose one with platform=, period_start=, period_end="
        )
    return df


@house_style
def share_vs_share(claim_shares: pd.DataFrame, *, lang: str = "en", platform=None, period_start=None,
                   period_end=None, highlight: str = "xiaomi", sources: dict | None = None,
                   volume_sources: dict | None = None, chart: str = "share_vs_share"):
    """Complaint share (95% exact interval) against exposure share (sourced range), per brand.

    ``sources`` / ``volume_sources`` ({lang: text}) name who published the complaint and the
    volume figures (see :func:`brandrep.charts.suite.complaint_sources`); without them the line
    points to the project's sources table.
    """
    df = require_columns(claim_shares, chart, "claim_shares", CLAIM_SHARES_COLUMNS)
    df = _select_window(df, chart, platform, period_start, period_end)
    df = numeric(df, ["share", "share_low", "share_high", "exposure_share", "exposure_share_low",
                      "exposure_share_high", "complaints", "total"])
    df = df[df["exposure_share"].notna()]
    require_rows(df, chart, "claim_shares", "with an exposure share")
    ys, xs = percent_scale(df["share"]), percent_scale(df["exposure_share"])
    plotted = pd.DataFrame({
        "platform": df["platform"].astype(str), "period_start": df["period_start"].map(iso_date),
        "period_end": df["period_end"].map(iso_date), "brand": df["brand"].astype(str),
        "exposure_measure": df["exposure_measure"].astype(str),
        "complaints": df["complaints"], "total": df["total"],
        "complaint_share_pct": df["share"] * ys, "complaint_share_low_pct": df["share_low"] * ys,
        "complaint_share_high_pct": df["share_high"] * ys,
        "exposure_share_pct": df["exposure_share"] * xs,
        "exposure_share_low_pct": df["exposure_share_low"] * xs,
        "exposure_share_high_pct": df["exposure_share_high"] * xs,
        "rests_on_bound": truthy(df["rests_on_bound"]).to_numpy(),
    }).sort_values(["brand", "exposure_measure"], kind="stable").reset_index(drop=True)

    window = plotted.iloc[0]
    platform_name = value_label("platform", window["platform"], lang)
    period = label(chart, "period", lang, start=window["period_start"], end=window["period_end"])
    brand_name = value_label("brand", highlight, lang)
    measures = sorted(plotted["exposure_measure"].unique())
    measure_names = {m: measure_label(m, lang) for m in measures}
    one_brand = plotted["brand"].nunique() == 1
    # A share among the listed brands only (total below the window's complaint total) is not a
    # share of all complaints: drawn with dotted bars and labelled so, never read as the latter.
    plotted["among_listed_brands"] = plotted["total"] < plotted["total"].max()
    texts = dict(
        title=label(chart, "title", lang, brand=brand_name, platform=platform_name, period=period),
        subtitle=label(chart, "subtitle_one_brand" if one_brand else "subtitle", lang, brand=brand_name,
                       platform=platform_name, period=period, n=len(measures)),
        x=label(chart, "x_label", lang), y=label(chart, "y_label", lang),
        diagonal=label(chart, "diagonal", lang),
        notes=[label(chart, "note_bars", lang)],
        source=_source(chart, lang, sources, volume_sources, platform=platform_name),
    )
    if plotted["rests_on_bound"].any():
        texts["notes"].append(label(chart, "note_bound", lang))
    if plotted["among_listed_brands"].any():
        listed = plotted[plotted["among_listed_brands"]]
        texts["notes"].append(label(chart, "note_among", lang, total=f"{int(listed['total'].iloc[0]):,}",
                                    all_total=f"{int(plotted['total'].max()):,}"))

    # A range published only as a bound ("more than 20%") runs to 100% in the table: drawn as an
    # arrow leaving the plot, and the axes cover the data, not the open end.
    plotted["exposure_open_high"] = plotted["rests_on_bound"] & (plotted["exposure_share_high_pct"] >= 100.0)
    plotted["exposure_open_low"] = plotted["rests_on_bound"] & (plotted["exposure_share_low_pct"] <= 0)
    finite = np.concatenate([
        plotted[["complaint_share_pct", "complaint_share_high_pct", "exposure_share_pct"]].to_numpy().ravel(),
        plotted.loc[~plotted["exposure_open_high"], "exposure_share_high_pct"].to_numpy(),
    ])
    finite = finite[np.isfinite(finite)]
    top = float(finite.max()) if len(finite) else 100.0
    top = min(float(np.ceil(top * 1.12 / 5) * 5), 100.0) if top > 0 else 1.0

    fig, ax = new_figure(chart, lang, "share_vs_share", plot_height_in=4.2)
    note_if_sparse(ax, chart, lang, n_points=len(plotted),
                   n_intervals=int(np.isfinite(plotted["complaint_share_low_pct"]).sum()))
    ax.plot([0, top], [0, top], ls="--", lw=1.1, color=REFERENCE, zorder=1)
    # the label sits beside the diagonal (offset across it), never on it
    diagonal = ax.annotate(texts["diagonal"], (top * 0.97, top * 0.97), xytext=(-4, 4), textcoords="offset points",
                           rotation=45, rotation_mode="anchor", ha="right", va="bottom", fontsize=8, color=REFERENCE,
                           transform_rotates_text=True)
    diagonal.brandrep_anchors = [(top * 0.03, top * 0.03)]  # or from the lower end, if points sit at the top
    for _, row in plotted.iterrows():
        is_focus = row["brand"] == highlight
        colour = HIGHLIGHT if is_focus else PEER
        marker = MARKERS[measures.index(row["exposure_measure"]) % len(MARKERS)]
        x, y = row["exposure_share_pct"], row["complaint_share_pct"]
        low = max(row["exposure_share_low_pct"], 0.0) if not row["exposure_open_low"] else 0.0
        high = top if row["exposure_open_high"] else row["exposure_share_high_pct"]
        xerr = np.array([[x - low], [max(high - x, 0.0)]])
        yerr = np.array([[y - row["complaint_share_low_pct"]], [row["complaint_share_high_pct"] - y]])
        among = bool(row["among_listed_brands"])
        bars = ax.errorbar(x, y, xerr=np.nan_to_num(xerr), yerr=np.nan_to_num(yerr), fmt="none",
                           ecolor=colour, elinewidth=1.0, capsize=2.5, alpha=0.9, zorder=2)
        for line in bars.lines[2]:
            line.set_linestyle(":" if among else "-")
        for end_x, style in ((top, "->"), (0.0, "<-")):
            if (style == "->" and row["exposure_open_high"]) or (style == "<-" and row["exposure_open_low"]):
                # the open end: an arrow to the frame, no cap (there is no end to mark)
                ax.annotate("", (end_x, y), xytext=(x, y), arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.0,
                            shrinkA=0, shrinkB=0, mutation_scale=9), zorder=2)
        ax.plot(x, y, marker=marker, ms=8 if is_focus else 6.5, ls="none", color=colour,
                markerfacecolor="white" if row["rests_on_bound"] else colour, markeredgewidth=1.4, zorder=3)
        # every marker of several brands is labelled (its brand; a share among listed brands says
        # so); one brand against many measures is named once, the legend telling the measures apart
        if one_brand and row.name > 0:
            continue
        text = value_label("brand", row["brand"], lang)
        if among:
            text = label(chart, "point_among", lang, brand=text)
        ax.annotate(text, (x, y), xytext=(5, 3), textcoords="offset points", fontsize=9 if is_focus else 8,
                    color=colour)
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_aspect("equal", adjustable="box", anchor="W")
    ax.set_xlabel(texts["x"])
    ax.set_ylabel(texts["y"])
    ax.grid(True, axis="both")
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], marker=MARKERS[i % len(MARKERS)], ls="none", color=MUTED,
                      label="\n".join(wrap(measure_names[m], LEGEND_SIZE, 1.55)))
               for i, m in enumerate(measures)]
    if plotted["among_listed_brands"].any():
        # The y of a dotted bar is a share among the listed brands only: its own legend entries,
        # so no one reads it as a share of all complaints.
        all_total, listed_total = int(plotted["total"].max()), int(plotted.loc[plotted["among_listed_brands"], "total"].iloc[0])
        handles += [Line2D([], [], color=MUTED, ls="none", label=label(chart, "legend_basis", lang))]
        handles += [Line2D([], [], color=MUTED, ls=style, lw=1.2,
                           label="\n".join(wrap(label(chart, key, lang, total=f"{total:,}"), LEGEND_SIZE, 1.55)))
                    for key, style, total in (("legend_all", "-", all_total), ("legend_among", ":", listed_total))]
    ax.legend(handles=handles, title=label(chart, "legend_measure", lang), loc="upper left",
              bbox_to_anchor=(1.04, 1.0), alignment="left", fontsize=LEGEND_SIZE, labelspacing=0.7)
    return finish_figure(fig, title=texts["title"], subtitle=texts["subtitle"], notes=texts["notes"],
                         source=texts["source"], data=plotted)


CROSS_SECTION = re.compile(r"^(?P<platform>.+) (?P<start>\d{4}-\d{2}-\d{2})\.\.(?P<end>\d{4}-\d{2}-\d{2}) vs (?P<measure>\S+)$")


def dataset_label(chart: str, dataset: str, lang: str) -> str:
    """Display name of a funnel dataset: from the strings table, or read from notebook 03's
    cross-section names ("PLATFORM START..END vs MEASURE"), else the name as written."""
    named = value_label("dataset", dataset, lang)
    if named != dataset:
        return named
    match = CROSS_SECTION.match(dataset)
    if not match:
        return dataset
    return label(chart, "dataset_cross", lang, platform=value_label("platform", match["platform"], lang),
                 start=match["start"], end=match["end"], measure=measure_label(match["measure"], lang))


def exposure_kind(measure: str | None) -> str:
    """How a funnel's exposure is measured: 'share' (a fraction, drawn in %), 'money' (yuan) or
    'count' (units, passengers). From notebook 03's measure names; no measure: a count."""
    if not measure:
        return "count"
    parts = str(measure).partition(":")[0].split("/")
    if len(parts) > 1 or "share" in parts[0]:
        return "share"
    return "money" if parts[0].startswith("revenue") else "count"


def readable_number(value: float, lang: str) -> str:
    """A tick label for a large number: 5000万 / 2亿 in Chinese, 50 million / 2bn in English."""
    if not np.isfinite(value) or value <= 0:
        return ""
    steps = (("number_yi", 1e8), ("number_wan", 1e4)) if lang == "zh" else \
        (("number_bn", 1e9), ("number_million", 1e6), ("number_thousand", 1e3))
    for key, size in steps:
        if value >= size:
            return label(COMMON, key, lang, v=f"{value / size:g}")
    return f"{value:g}"


def log_ticks(ax, low: float, high: float, formatter) -> None:
    """Major ticks at 1, 2, 5 (or 1, 3, or 1) times powers of ten, few enough to read; no minor labels."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    decades = np.log10(high / low) if low > 0 and high > low else 1.0
    subs = (1.0, 2.0, 5.0) if decades <= 2.2 else (1.0, 3.0) if decades <= 3.5 else (1.0,)
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=subs))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: formatter(value)))
    ax.xaxis.set_minor_formatter(NullFormatter())


def format_phi(phi: float) -> str:
    """One way to print the over-dispersion factor on every chart: 168, 2.4."""
    if not np.isfinite(phi):
        return "–"
    return f"{phi:,.0f}" if phi >= 10 else f"{phi:.1f}"


FEW_UNITS = 5  # a funnel of this many units or fewer says on the chart that phi rests on few df


@house_style
def funnel(funnel_points: pd.DataFrame, funnel_limits: pd.DataFrame, *, lang: str = "en", dataset=None,
           highlight: str | None = "xiaomi", sources: dict | None = None, volume_sources: dict | None = None,
           chart: str | None = None):
    """Spiegelhalter funnel: each unit's ratio against its volume, plain and adjusted limits.

    ``chart`` picks the strings (title, axis labels, source): by default ``funnel_dot`` for the US
    DOT validation datasets (names starting ``us_dot``) and ``funnel`` for brand cross-sections.
    The x axis is in the exposure's own unit (a share in %, revenue in yuan, units or passengers),
    with tick labels in words (5000万, 2亿; 50 million, 2bn).
    """
    chosen, chart = chart, chart or "funnel"
    points = require_columns(funnel_points, chart, "funnel_points", FUNNEL_POINTS_COLUMNS)
    limits = require_columns(funnel_limits, chart, "funnel_limits", FUNNEL_LIMITS_COLUMNS)
    datasets = sorted(set(points["dataset"].astype(str)))
    if dataset is None:
        if len(datasets) != 1:
            raise BrandrepError(f"chart {chart!r}: funnel_points holds datasets {datasets}; choose one with dataset=")
        dataset = datasets[0]
    if chosen is None and str(dataset).startswith(DOT_PREFIX):
        chart = "funnel_dot"
    points = require_rows(points[points["dataset"].astype(str) == str(dataset)], chart, "funnel_points",
                          f"for dataset {dataset!r}")
    limits = require_rows(limits[limits["dataset"].astype(str) == str(dataset)], chart, "funnel_limits",
                          f"for dataset {dataset!r}")
    points = numeric(points, ["observed", "exposure", "expected", "ratio", "z_plain", "z_adjusted"])
    limit_cols = [c for c in FUNNEL_LIMITS_COLUMNS if c != "dataset"]
    limits = numeric(limits, limit_cols).sort_values("exposure", kind="stable")
    # Notebook 03 plots O/E (target 1) against exposure; its limits are on the same exposure grid.
    x_col = "exposure"
    points = points.sort_values([x_col, "unit"], kind="stable")
    phi, tau2 = float(limits["phi"].iloc[0]), float(limits["tau2"].iloc[0])
    target = float(limits["target"].iloc[0])
    dataset_name = dataset_label(chart, str(dataset), lang)
    section = CROSS_SECTION.match(str(dataset))
    measure = section["measure"] if section else None
    kind = exposure_kind(measure)
    x_scale = 100.0 if kind == "share" and percent_scale(points["exposure"], limits["exposure"]) == 100.0 else 1.0
    exposure_name = measure_label(measure, lang) if measure else ""
    brand_name = value_label("brand", highlight, lang) if highlight else ""
    n_out_plain = int((points["z_plain"].abs() > 1.96).sum())
    n_out_adj = int((points["z_adjusted"].abs() > 1.96).sum())
    fields = dict(dataset=dataset_name, brand=brand_name, n=len(points), phi=format_phi(phi), tau2=tau2,
                  n_out_plain=n_out_plain, n_out_adj=n_out_adj, exposure=exposure_name, df=max(len(points) - 1, 0))
    subtitle = label(chart, "subtitle", lang, **fields)
    if len(points) <= FEW_UNITS:
        subtitle += ("" if lang == "zh" else " ") + label(chart, "note_few", lang, **fields)
    source_fields = {}
    if section:
        source_fields = dict(platform=value_label("platform", section["platform"], lang), measure=exposure_name)
    texts = dict(
        title=label(chart, "title", lang, **fields), subtitle=subtitle,
        x=label(chart, "x_label" if chart == "funnel_dot" or not measure else f"x_label_{kind}", lang, **fields),
        y=label(chart, "funnel_y_label", lang), target=label(chart, "funnel_pooled_line", lang),
        plain=label(chart, "legend_plain", lang), adjusted=label(chart, "legend_adjusted", lang),
        notes=[label(chart, "note_limits", lang, **fields)],
        source=_source(chart, lang, sources, volume_sources, **source_fields) if section
        else label(chart, "source", lang, **fields),
    )
    texts["x"] = texts["x"][:1].upper() + texts["x"][1:]  # "revenue, yuan" starts an axis label: "Revenue"
    fig, ax = new_figure(chart, lang, "funnel", plot_height_in=3.9)
    note_if_sparse(ax, chart, lang, n_points=len(points))
    ex = limits["exposure"].to_numpy() * x_scale
    ax.axhline(target, color=REFERENCE, lw=1.0, zorder=1, label=texts["target"])
    styles = [("95", OKABE_ITO["blue"], "95%"), ("998", OKABE_ITO["black"], "99.8%")]
    for level, colour, level_text in styles:
        ax.plot(ex, limits[f"lower_{level}"], ls=(0, (4, 3)), lw=1.0, color=colour, zorder=2,
                label=f"{texts['plain']} {level_text}")
        ax.plot(ex, limits[f"upper_{level}"], ls=(0, (4, 3)), lw=1.0, color=colour, zorder=2)
        ax.plot(ex, limits[f"lower_{level}_adj"], ls="-", lw=1.5, color=colour, zorder=2,
                label=f"{texts['adjusted']} {level_text}")
        ax.plot(ex, limits[f"upper_{level}_adj"], ls="-", lw=1.5, color=colour, zorder=2)
    for position, (_, row) in enumerate(points.iterrows()):
        is_focus = highlight is not None and str(row["unit"]) == highlight
        px = row[x_col] * x_scale
        ax.plot(px, row["ratio"], marker="D" if is_focus else "o", ms=8 if is_focus else 5.5,
                color=HIGHLIGHT if is_focus else MUTED, markeredgecolor="white" if not is_focus else HIGHLIGHT,
                ls="none", zorder=4 if is_focus else 3)
        # Neighbours along x get their names above and below in turn, so close points stay legible;
        # place_point_labels then moves any name a limit line would strike through.
        ax.annotate(value_label("brand", row["unit"], lang), (px, row["ratio"]),
                    xytext=(5, 3 if position % 2 == 0 else -10),
                    textcoords="offset points", fontsize=7.5 if not is_focus else 9,
                    color=HIGHLIGHT if is_focus else "#333333")
    if (ex > 0).all() and ex.max() / max(ex.min(), 1e-300) > 50:
        ax.set_xscale("log")
        if kind == "share":
            log_ticks(ax, ex.min(), ex.max(), lambda v: f"{v:g}%")
        else:
            log_ticks(ax, ex.min(), ex.max(), lambda v: readable_number(v, lang))
    ax.set_xlim(ex.min(), ex.max())
    ylow = np.nanmin([points["ratio"].min(), np.nanmin(limits["lower_998_adj"].to_numpy())])
    yhigh = np.nanmax([points["ratio"].max(), np.nanmax(limits["upper_998_adj"].to_numpy())])
    span = yhigh - ylow if yhigh > ylow else 1.0
    ax.set_ylim(max(ylow - 0.08 * span, 0.0), yhigh + 0.08 * span)  # a ratio of counts is never negative
    ax.set_xlabel(texts["x"])
    ax.set_ylabel(texts["y"])
    # Below the plot: inside it the legend would hide limit lines, wherever they run.
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.2), ncols=3, fontsize=8.5, columnspacing=1.5)
    plotted = pd.concat([
        pd.DataFrame({"dataset": str(dataset), "kind": "point", "unit": points["unit"].astype(str),
                      "x": points[x_col], "ratio": points["ratio"], "observed": points["observed"],
                      "z_plain": points["z_plain"], "z_adjusted": points["z_adjusted"]}),
        pd.DataFrame({"dataset": str(dataset), "kind": "limit", "unit": "", "x": limits["exposure"],
                      **{c: limits[c] for c in limit_cols if c != "exposure"}}),
    ], ignore_index=True)
    return finish_figure(fig, title=texts["title"], subtitle=texts["subtitle"], notes=texts["notes"],
                         source=texts["source"], data=plotted, plot_bottom_in=1.35)


def _crossing(x: np.ndarray, y: np.ndarray, level: float, log: bool = False) -> float | None:
    """First x at which y crosses ``level`` (linear interpolation, on log10 scale if ``log``)."""
    yy = np.log10(np.clip(y, 1e-300, None)) if log else y
    lv = np.log10(level) if log else level
    d = yy - lv
    for i in range(len(d) - 1):
        if np.isnan(d[i]) or np.isnan(d[i + 1]):
            continue
        if d[i] == 0:
            return float(x[i])
        if d[i] * d[i + 1] < 0:
            return float(x[i] + (x[i + 1] - x[i]) * (0 - d[i]) / (d[i + 1] - d[i]))
    if len(d) and d[-1] == 0:
        return float(x[-1])
    return None


@house_style
def tipping_point(tipping: pd.DataFrame, exposure_markers: pd.DataFrame | None = None, *, lang: str = "en",
                  brand: str = "xiaomi", sources: dict | None = None, volume_sources: dict | None = None,
                  platform: str = "消费保", period_start=None, period_end=None, chart: str = "tipping_point"):
    """R (with interval) and the one-sided p-value against the brand's assumed exposure share.

    ``platform`` and the period name the complaint window the curve was computed for (title);
    ``phi`` is printed one way everywhere (:func:`format_phi`), with its degrees of freedom when
    the table has a ``phi_df`` column.
    """
    df = require_columns(tipping, chart, "tipping_point", TIPPING_COLUMNS)
    df = require_rows(df[df["brand"].astype(str) == brand], chart, "tipping_point", f"for brand {brand!r}")
    df = numeric(df, TIPPING_COLUMNS[1:]).sort_values("exposure_share", kind="stable")
    scale = percent_scale(df["exposure_share"])
    x = df["exposure_share"].to_numpy() * scale
    markers = pd.DataFrame(columns=MARKER_COLUMNS)
    if exposure_markers is not None:
        markers = require_columns(exposure_markers, chart, "exposure_markers", MARKER_COLUMNS)
        markers = numeric(markers[markers["brand"].astype(str) == brand], ["exposure_share"])
        markers = markers.sort_values(["exposure_share", "label"], kind="stable")
    p5_binomial = _crossing(x, df["p_binomial"].to_numpy(), 0.05, log=True)
    p5_over = _crossing(x, df["p_overdispersed"].to_numpy(), 0.05, log=True)
    r1 = _crossing(x, df["rate_ratio"].to_numpy(), 1.0)
    brand_name = value_label("brand", brand, lang)
    phi = float(df["phi"].iloc[0])
    phi_df = ""
    if "phi_df" in df.columns and np.isfinite(pd.to_numeric(df["phi_df"], errors="coerce").iloc[0]):
        phi_df = label(chart, "phi_df", lang, df=f"{float(df['phi_df'].iloc[0]):g}")

    def at(value):
        return "—" if value is None else f"{value:.1f}%"

    fields = dict(brand=brand_name, p5=at(p5_binomial), p5_over=at(p5_over), r1=at(r1), phi=format_phi(phi),
                  phi_df=phi_df, low=f"{x.min():.0f}%", high=f"{x.max():.0f}%",
                  platform=value_label("platform", platform, lang), period=_period(chart, lang, period_start, period_end))
    separator = "" if lang == "zh" else " "
    subtitle = separator.join([
        label(chart, "subtitle", lang, **fields),
        label(chart, "crossing_binomial" if p5_binomial is not None else "no_crossing_binomial", lang, **fields),
        label(chart, "crossing_overdispersed" if p5_over is not None else "no_crossing_overdispersed", lang, **fields),
        *([label(chart, "crossing_r", lang, **fields)] if r1 is not None else []),
    ])
    marker_names = [measure_label(value, lang) for value in markers["label"]]
    marker_list = label("common", "item_separator", lang).join(
        f"{i} {name} {share * scale:.1f}%" for i, (name, share) in
        enumerate(zip(marker_names, markers["exposure_share"]), start=1))
    texts = dict(
        title=label(chart, "title" if period_start else "title_no_window", lang, **fields), subtitle=subtitle,
        x=label(chart, "x_label", lang, **fields), y_r=label(chart, "y_label_r", lang),
        y_p=label(chart, "y_label_p", lang), band=label(chart, "legend_band", lang),
        r=label(chart, "legend_r", lang), p_bin=label(chart, "legend_p_binomial", lang),
        p_over=label(chart, "legend_p_overdispersed", lang, **fields),
        p_line=label(chart, "p_line", lang), r_line=label(chart, "r_line", lang),
        notes=[label(chart, "note_reading", lang, **fields)],
        source=_source(chart, lang, sources, volume_sources, platform=value_label("platform", platform, lang)),
    )
    if len(markers):
        texts["notes"].append(label(chart, "note_markers", lang, markers=marker_list))
    fig, (ax_r, ax_p) = new_figure(chart, lang, "tipping_point", nrows=2, plot_height_in=4.4, sharex=True,
                                   gridspec_kw={"height_ratios": [3, 2]})
    note_if_sparse(ax_r, chart, lang, n_points=len(df), n_intervals=int(np.isfinite(df["rate_ratio_low"]).sum()))
    ax_r.fill_between(x, df["rate_ratio_low"], df["rate_ratio_high"], color=OKABE_ITO["sky_blue"], alpha=0.35,
                      lw=0, label=texts["band"])
    ax_r.plot(x, df["rate_ratio"], color=OKABE_ITO["blue"], lw=1.8, label=texts["r"])
    ax_r.axhline(1.0, color=REFERENCE, lw=1.0, ls="--")
    ax_r.set_ylabel(texts["y_r"])
    ax_r.legend(loc="upper right", bbox_to_anchor=(1.0, 0.88))
    ax_p.plot(x, df["p_binomial"], color=OKABE_ITO["black"], lw=1.6, label=texts["p_bin"])
    ax_p.plot(x, df["p_overdispersed"], color=OKABE_ITO["orange"], lw=1.6, ls=(0, (5, 2)), label=texts["p_over"])
    ax_p.axhline(0.05, color=REFERENCE, lw=1.0, ls="--")
    ax_p.set_yscale("log")
    # p-values far below 0.05 say nothing more; the axis stops at 1e-6 so the crossing stays readable.
    ax_p.set_ylim(max(P_FLOOR, float(np.nanmin(df[["p_binomial", "p_overdispersed"]].to_numpy())) / 2), 1.5)
    from matplotlib.ticker import FuncFormatter, NullFormatter

    # plain decimals (0.01, 0.0001) rather than 10^-2: what an editor can print beside "p = 0.05"
    ax_p.yaxis.set_major_formatter(FuncFormatter(lambda value, _: np.format_float_positional(value, trim="-")))
    ax_p.yaxis.set_minor_formatter(NullFormatter())
    ax_p.set_ylabel(texts["y_p"])
    ax_p.set_xlabel(texts["x"])
    ax_p.legend(loc="lower right")
    p_label = ax_p.annotate(texts["p_line"], (0.0, 0.05), xycoords=("axes fraction", "data"), xytext=(5, 3),
                            textcoords="offset points", va="bottom", ha="left", fontsize=7.5, color=REFERENCE)
    p_label.brandrep_anchors = [(0.5, 0.05), (1.0, 0.05)]  # moved along its line if a curve crosses it
    # The p = 0.05 label sits left of its line and the R = 1 label right of its, so they never collide.
    for value, text, side in ((p5_binomial, texts["p_line"], -1), (r1, texts["r_line"], 1)):
        if value is not None:
            for ax in (ax_r, ax_p):
                ax.axvline(value, color=HIGHLIGHT, lw=1.0, ls=":")
            ax_r.annotate(f"{text}: {value:.1f}%", (value, 1.0), xycoords=("data", "axes fraction"),
                          xytext=(4 * side, -4), textcoords="offset points", ha="left" if side > 0 else "right",
                          va="top", fontsize=8, color=HIGHLIGHT)
    # Sourced estimates: numbered triangles on the x axis, named in the notes (long names would
    # not fit along the axis).
    for number, (_, row) in enumerate(markers.iterrows(), start=1):
        mx = row["exposure_share"] * scale
        ax_r.plot(mx, 0, marker="^", ms=7, color=OKABE_ITO["bluish_green"], transform=ax_r.get_xaxis_transform(),
                  clip_on=False, ls="none")
        ax_r.annotate(str(number), (mx, 0), xycoords=ax_r.get_xaxis_transform(), xytext=(0, 7),
                      textcoords="offset points", fontsize=7.5, ha="center", va="bottom", color="#006B4F")
    ax_p.set_xlim(x.min(), x.max()) if x.max() > x.min() else ax_p.set_xlim(x.min() - 1, x.max() + 1)
    fig.align_ylabels([ax_r, ax_p])  # one left edge for both panels' labels, whatever the tick widths
    plotted = pd.concat([
        pd.DataFrame({"brand": brand, "kind": "curve", "label": "", "exposure_share_pct": x,
                      **{c: df[c].to_numpy() for c in TIPPING_COLUMNS[2:]}}),
        pd.DataFrame({"brand": brand, "kind": "marker", "label": markers["label"].astype(str).to_numpy(),
                      "exposure_share_pct": markers["exposure_share"].to_numpy() * scale}),
        pd.DataFrame({"brand": brand, "kind": "crossing", "label": ["p_binomial=0.05", "p_overdispersed=0.05", "rate_ratio=1"],
                      "exposure_share_pct": [np.nan if v is None else v for v in (p5_binomial, p5_over, r1)]}),
    ], ignore_index=True)
    return finish_figure(fig, title=texts["title"], subtitle=texts["subtitle"], notes=texts["notes"],
                         source=texts["source"], data=plotted, hspace_in=0.3)


@house_style
def r_simulation(simulation: pd.DataFrame, *, lang: str = "en", brand: str = "xiaomi", bins: int = 40,
                 sources: dict | None = None, volume_sources: dict | None = None, platform: str = "消费保",
                 period_start=None, period_end=None, chart: str = "r_simulation"):
    """Histogram of the brand's simulated rate ratio R over sourced denominator ranges."""
    df = require_columns(simulation, chart, "r_simulation", R_SIMULATION_COLUMNS)
    df = require_rows(df, chart, "r_simulation")
    r = pd.to_numeric(df["rate_ratio"], errors="coerce").to_numpy(dtype=float)
    flagged = truthy(df["flagged"]).to_numpy()
    keep = np.isfinite(r)
    r, flagged = r[keep], flagged[keep]
    edges = np.histogram_bin_edges(r, bins=bins)
    n_flag, _ = np.histogram(r[flagged], bins=edges)
    n_not, _ = np.histogram(r[~flagged], bins=edges)
    share = 100.0 * flagged.mean() if len(r) else 0.0
    brand_name = value_label("brand", brand, lang)
    fields = dict(brand=brand_name, n=len(r), pct=share, median=float(np.median(r)) if len(r) else float("nan"),
                  below=100.0 * float((r < 1).mean()) if len(r) else float("nan"),
                  platform=value_label("platform", platform, lang), period=_period(chart, lang, period_start, period_end))
    texts = dict(
        title=label(chart, "title", lang, **fields), subtitle=label(chart, "subtitle" if period_start else "subtitle_no_window", lang, **fields),
        x=label(chart, "x_label", lang), y=label(chart, "y_label", lang),
        flagged=label(chart, "legend_flagged", lang), not_flagged=label(chart, "legend_not_flagged", lang),
        r_line=label(chart, "r_line", lang), notes=[label(chart, "note_draws", lang, **fields)],
        source=_source(chart, lang, sources, volume_sources, platform=value_label("platform", platform, lang)),
    )
    fig, ax = new_figure(chart, lang, "r_simulation", plot_height_in=3.4)
    note_if_sparse(ax, chart, lang, n_points=len(r))
    widths = np.diff(edges)
    # a legend entry only for bars that are drawn (no swatch for an empty class)
    ax.bar(edges[:-1], n_not, width=widths, align="edge", color=PEER, alpha=0.85, edgecolor="white", lw=0.4,
           label=texts["not_flagged"] if n_not.sum() else "_nolegend_")
    ax.bar(edges[:-1], n_flag, width=widths, bottom=n_not, align="edge", color=HIGHLIGHT, edgecolor="white",
           hatch="////", lw=0.4, label=texts["flagged"] if n_flag.sum() else "_nolegend_")
    ax.set_ylim(0, max(1, int((n_not + n_flag).max())) * 1.15)  # headroom: no bar touches the frame
    ax.axvline(1.0, color=REFERENCE, ls="--", lw=1.0)
    ax.annotate(texts["r_line"], (1.0, 1.0), xycoords=("data", "axes fraction"), xytext=(4, -10),
                textcoords="offset points", fontsize=8, color=REFERENCE)
    ax.set_xlabel(texts["x"])
    ax.set_ylabel(texts["y"])
    ax.legend(loc="upper right")
    plotted = pd.DataFrame({"brand": brand, "bin_low": edges[:-1], "bin_high": edges[1:],
                            "draws_flagged": n_flag, "draws_not_flagged": n_not})
    return finish_figure(fig, title=texts["title"], subtitle=texts["subtitle"], notes=texts["notes"],
                         source=texts["source"], data=plotted)
