"""Charts of the complaint texts (notebook 02's tables): what people complain about, and how badly.

Complaint topics are compared as shares of each brand's texts with their intervals, never as raw
counts, and sentiment as brand means with intervals (docs/methods.md section 1, step 9: compare
severity, not volume).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from brandrep.charts.strings import label, value_label
from brandrep.charts.style import (
    HIGHLIGHT, MARKERS, MUTED, PEER, SERIES, finish_figure, house_style, label_margin_in, new_figure, note_if_sparse,
)
from brandrep.charts.tables import numeric, percent_scale, require_columns, require_rows

TOPICS_COLUMNS = ("brand", "topic", "n_texts", "n_tagged", "share", "share_low", "share_high")
SENTIMENT_COLUMNS = ("brand", "n", "mean", "mean_low", "mean_high")


def _brand_order(brands, highlight):
    """The highlighted brand first, then the rest alphabetically (stable across runs)."""
    brands = sorted(set(map(str, brands)))
    return ([highlight] if highlight in brands else []) + [b for b in brands if b != highlight]


def _brand_colours(order, highlight):
    peers = [c for c in SERIES if c != HIGHLIGHT]
    colours, i = {}, 0
    for brand in order:
        if brand == highlight:
            colours[brand] = (HIGHLIGHT, "D")
        else:
            colours[brand] = (peers[i % len(peers)], MARKERS[i % len(MARKERS)])
            i += 1
    return colours


@house_style
def topics_by_brand(topics: pd.DataFrame, *, lang: str = "en", highlight: str = "xiaomi", max_brands: int = 4,
                    chart: str = "topics_by_brand"):
    """Share of each brand's illustrative texts tagged with each topic, with 95% intervals (dot chart)."""
    df = require_rows(require_columns(topics, chart, "topics_by_brand", TOPICS_COLUMNS), chart, "topics_by_brand")
    df = numeric(df, ["n_texts", "n_tagged", "share", "share_low", "share_high"])
    df["brand"], df["topic"] = df["brand"].astype(str), df["topic"].astype(str)
    scale = percent_scale(df["share"])
    # Topics ordered by their mean share over brands, the most common at the top.
    mean_share = df.groupby("topic")["share"].mean()
    topic_order = sorted(mean_share.index, key=lambda t: (-mean_share[t], t))
    n_texts = df.groupby("brand")["n_texts"].max()
    all_brands = _brand_order(df["brand"], highlight)
    # Many brands side by side are unreadable: the highlighted brand and the peers with most texts.
    peers = sorted((b for b in all_brands if b != highlight), key=lambda b: (-n_texts.get(b, 0), b))
    keep = ([highlight] if highlight in all_brands else []) + peers
    keep = set(keep[:max(1, max_brands)])
    brand_order = [b for b in all_brands if b in keep]
    colours = _brand_colours(brand_order, highlight)
    brand_names = {b: value_label("brand", b, lang) for b in brand_order}
    fields = dict(brand=brand_names.get(highlight, highlight), n_brands=len(all_brands), shown=len(brand_order),
                  n_topics=len(topic_order), n_texts=int(np.nansum(n_texts.to_numpy())))
    texts = dict(
        title=label(chart, "title", lang, **fields), subtitle=label(chart, "subtitle", lang, **fields),
        x=label(chart, "x_label", lang),
        notes=[label(chart, "note_intervals", lang, **fields)]
        + ([label(chart, "note_shown", lang, **fields)] if len(brand_order) < len(all_brands) else []),
        source=label(chart, "source", lang),
        legend={b: label(chart, "legend_n", lang, brand=brand_names[b], n=int(n_texts.get(b, 0))) for b in brand_order},
    )
    height = float(np.clip(0.42 * len(topic_order) * max(1, len(brand_order)) ** 0.5, 2.4, 7.0))
    fig, ax = new_figure(chart, lang, "topics_by_brand", plot_height_in=height)
    note_if_sparse(ax, chart, lang, n_points=len(df), n_intervals=int(np.isfinite(df["share_low"]).sum()))
    step = 0.7 / max(len(brand_order), 1)
    for j, brand in enumerate(brand_order):
        colour, marker = colours[brand]
        sub = df[df["brand"] == brand].set_index("topic")
        offset = (j - (len(brand_order) - 1) / 2) * step
        for i, topic in enumerate(topic_order):
            if topic not in sub.index:
                continue
            row = sub.loc[topic]
            y = i + offset
            ax.plot([row["share_low"] * scale, row["share_high"] * scale], [y, y], color=colour, lw=1.4,
                    solid_capstyle="butt")
            ax.plot(row["share"] * scale, y, marker=marker, ms=6.5, color=colour, ls="none",
                    markeredgecolor="white", markeredgewidth=0.6)
        ax.plot([], [], marker=marker, color=colour, ls="-", lw=1.4,
                label=texts["legend"][brand])
    topic_names = [value_label("topic", t, lang) for t in topic_order]
    ax.set_yticks(range(len(topic_order)), topic_names)
    ax.set_ylim(len(topic_order) - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")
    ax.set_xlabel(texts["x"])
    ax.legend(loc="lower right")
    plotted = df[list(TOPICS_COLUMNS)].assign(
        share_pct=df["share"] * scale, share_low_pct=df["share_low"] * scale, share_high_pct=df["share_high"] * scale,
        topic_rank=df["topic"].map({t: i for i, t in enumerate(topic_order)}),
        shown=df["brand"].isin(brand_order),
    ).sort_values(["topic_rank", "brand"], kind="stable").reset_index(drop=True)
    return finish_figure(fig, title=texts["title"], subtitle=texts["subtitle"], notes=texts["notes"],
                         source=texts["source"], data=plotted, margin_left_in=label_margin_in(topic_names))


SMALL_GROUP = 10  # fewer texts than this: the interval is too wide to compare, drawn faint


@house_style
def sentiment_by_brand(sentiment: pd.DataFrame, *, lang: str = "en", highlight: str = "xiaomi",
                       chart: str = "sentiment_by_brand"):
    """Mean SnowNLP sentiment of each brand's illustrative texts, with 95% intervals.

    Every brand is drawn alike (``highlight`` only keeps the call signature of the other charts):
    the texts are illustrative, so no brand is singled out as the most negative. Brands with
    fewer than ``SMALL_GROUP`` texts are drawn hollow with dotted intervals, below the others,
    so their wide intervals do not dominate the chart.
    """
    df = require_rows(require_columns(sentiment, chart, "sentiment_by_brand", SENTIMENT_COLUMNS),
                      chart, "sentiment_by_brand")
    df = numeric(df, ["n", "mean", "mean_low", "mean_high"])
    df["brand"] = df["brand"].astype(str)
    df["small"] = df["n"] < SMALL_GROUP
    # small groups last (at the bottom), each group from the lowest mean up
    df = df.sort_values(["small", "mean", "brand"], ascending=[False, True, True], kind="stable").reset_index(drop=True)
    brand_names = {b: value_label("brand", b, lang) for b in df["brand"]}
    fields = dict(brand=brand_names.get(highlight, highlight), n_brands=len(df), n=int(np.nansum(df["n"])),
                  small=SMALL_GROUP)
    texts = dict(
        title=label(chart, "title", lang, **fields), subtitle=label(chart, "subtitle", lang, **fields),
        x=label(chart, "x_label", lang), notes=[label(chart, "note_scale", lang, **fields)],
        source=label(chart, "source", lang),
        n_label=[label(chart, "n_label", lang, n=int(n)) for n in df["n"]],
    )
    if df["small"].any():
        texts["notes"].append(label(chart, "note_small", lang, **fields))
    fig, ax = new_figure(chart, lang, "sentiment_by_brand", plot_height_in=float(np.clip(0.45 * len(df) + 0.6, 1.8, 6)))
    note_if_sparse(ax, chart, lang, n_points=len(df), n_intervals=int(np.isfinite(df["mean_low"]).sum()))
    for i, row in df.iterrows():
        small = bool(row["small"])
        colour = MUTED if small else PEER
        ax.plot([row["mean_low"], row["mean_high"]], [i, i], color=colour, lw=1.0 if small else 2.0,
                ls=":" if small else "-", solid_capstyle="butt")
        ax.plot(row["mean"], i, marker="o", ms=6.5, color=colour, ls="none",
                markerfacecolor="white" if small else colour, markeredgecolor=colour if small else "white")
    # The sample size sits in the brand's label: a note right of the axes was cut at the figure edge.
    tick_labels = [f"{brand_names[b]} ({n_label})" for b, n_label in zip(df["brand"], texts["n_label"])]
    ax.set_yticks(range(len(df)), tick_labels)
    for tick, small in zip(ax.get_yticklabels(), df["small"]):
        if small:
            tick.set_color(MUTED)
    ax.set_ylim(-0.6, len(df) - 0.4)  # the first row (a small group, else the lowest mean) at the bottom
    ax.set_xlim(0, 1)
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")
    ax.set_xlabel(texts["x"])
    plotted = df[list(SENTIMENT_COLUMNS)].assign(small_group=df["small"].to_numpy())
    return finish_figure(fig, title=texts["title"], subtitle=texts["subtitle"], notes=texts["notes"],
                         source=texts["source"], data=plotted, margin_left_in=label_margin_in(tick_labels))


def reliability_diagram(curves: dict[str, pd.DataFrame], *, title: str):
    """Reliability diagram for exploring in a notebook (not a publication chart): for each
    forecast, the share labelled positive per bin (Wilson 95% bars) against the bin's mean
    forecast. ``curves`` maps a legend label to a ``calibration_table`` result."""
    import matplotlib

    from brandrep.charts.style import ChartFigure, rc_params

    with matplotlib.rc_context(rc_params()):
        # ChartFigure shows itself as a PNG under brandrep run's Agg backend (a bare Figure is text)
        fig = ChartFigure(figsize=(4.6, 4.4))
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1], color="0.7", lw=1, label="perfectly calibrated")
        for n, (name, table) in enumerate(curves.items()):
            shown = table[table["n"] > 0]
            ax.errorbar(shown["mean_score"], shown["share_pos"],
                        yerr=[shown["share_pos"] - shown["share_pos_low"],
                              shown["share_pos_high"] - shown["share_pos"]],
                        fmt="o", color=f"C{n}", capsize=3, label=name)
        ax.set(xlabel="mean forecast in bin", ylabel="share labelled positive", xlim=(0, 1), ylim=(0, 1))
        ax.legend(loc="upper left", frameon=False, fontsize=8)
        ax.set_title(title, fontsize=10)
        fig.tight_layout()
    return fig
