"""The claims ledger as a chart: each claim of the article, the verdict, the estimate.

Notebook 03's ledger (``claims_ledger``) states each checkable claim in the project's own words
with a verdict from a fixed vocabulary. Editors need it as a picture that survives greyscale, so
each verdict has its own colour and its own marker shape. Claim texts are data: shown as
written unless the strings table translates a claim id (chart ``claim``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from brandrep.charts.strings import label, strings_table, value_label
from brandrep.charts.style import (
    FIG_WIDTH_IN, MARGIN_LEFT_IN, NOTE_SIZE, OKABE_ITO, finish_figure, house_style, new_figure, wrap,
)
from brandrep.charts.tables import require_columns, require_rows, truthy

LEDGER_COLUMNS = ("claim_id", "claim", "estimate", "interval_low", "interval_high", "verdict", "rests_on_bound")
# verdict -> (strings key, colour, marker); order = how the legend reads
VERDICT_STYLE = {
    "supported": ("verdict_supported", OKABE_ITO["bluish_green"], "o"),
    "partly supported": ("verdict_partly", OKABE_ITO["blue"], "s"),
    "inconclusive": ("verdict_inconclusive", "#8C8C8C", "D"),
    "not supported": ("verdict_not_supported", OKABE_ITO["vermillion"], "X"),
}


def _number(value) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


@house_style
def claims_ledger(ledger: pd.DataFrame, *, lang: str = "en", brand: str = "xiaomi", chart: str = "claims_ledger"):
    """One row per claim: verdict marker, claim text, estimate with its interval."""
    df = require_rows(require_columns(ledger, chart, "claims_ledger", LEDGER_COLUMNS), chart, "claims_ledger")
    df = df.sort_values("claim_id", kind="stable").reset_index(drop=True)
    unknown = sorted(set(df["verdict"].astype(str)) - set(VERDICT_STYLE))
    if unknown:
        from brandrep.errors import BrandrepError

        raise BrandrepError(f"chart {chart!r}: table 'claims_ledger' has verdict(s) {unknown} outside the "
                            f"vocabulary {list(VERDICT_STYLE)}")
    counts = df["verdict"].value_counts()
    fields = {key.split("_", 1)[1]: int(counts.get(verdict, 0)) for verdict, (key, _, _) in VERDICT_STYLE.items()}
    fields["n"] = len(df)
    verdict_names = {v: label(chart, key, lang) for v, (key, _, _) in VERDICT_STYLE.items()}
    brand_name = value_label("brand", brand, lang)
    texts = dict(title=label(chart, "title", lang, brand=brand_name, **fields), subtitle=label(chart, "subtitle", lang, **fields),
                 estimate=label(chart, "estimate_header", lang), claim=label(chart, "claim_header", lang),
                 notes=[label(chart, "note_verdicts", lang)], source=label(chart, "source", lang),
                 bound=label(chart, "bound_mark", lang))
    bounds = truthy(df["rests_on_bound"]).to_numpy()
    if bounds.any():
        texts["notes"].append(label(chart, "note_bound", lang))
    claim_width_in = FIG_WIDTH_IN - MARGIN_LEFT_IN - 3.2  # room for an estimate with its unit and interval
    claim_lines = []
    for claim_id, claim in zip(df["claim_id"].astype(str), df["claim"].astype(str)):
        # the claim in the chart's language (strings table), else the ledger's own words
        shown = strings_table().get(("claim_text", claim_id), {}).get(lang, "")
        text = shown.replace("{brand}", brand_name) if shown else claim
        claim_lines.append(wrap(f"{claim_id}  {text}", NOTE_SIZE + 1, claim_width_in))
    # Each row holds at least two lines: the estimate and, under it, the verdict.
    heights = [max(len(lines), 2) * 0.2 + 0.16 for lines in claim_lines]
    fig, ax = new_figure(chart, lang, "claims_ledger", plot_height_in=float(sum(heights)) + 0.1)
    ax.set_axis_off()
    total = sum(heights) + 0.3
    ax.set_xlim(0, 1)
    ax.set_ylim(total, 0)
    ax.text(0.0, 0.12, texts["claim"], fontsize=NOTE_SIZE + 0.5, color="#4D4D4D", va="bottom")
    ax.text(1.0, 0.12, texts["estimate"], fontsize=NOTE_SIZE + 0.5, color="#4D4D4D", va="bottom", ha="right")
    y = 0.3
    for i, row in df.iterrows():
        key, colour, marker = VERDICT_STYLE[row["verdict"]]
        ax.plot(-0.05, y + 0.12, marker=marker, ms=9, color=colour, clip_on=False, ls="none")
        ax.text(0.0, y + 0.04, "\n".join(claim_lines[i]), fontsize=NOTE_SIZE + 1, va="top", ha="left",
                linespacing=1.35, color="#111111")
        # the estimate with its unit (a share, a rate ratio, O/E, a rate per 10,000 units ...)
        unit = strings_table().get(("claim_unit", str(row["claim_id"])), {}).get(lang, "") or "{v}"
        scale = 100.0 if "%" in unit else 1.0
        interval = ""
        if np.isfinite(pd.to_numeric(row["interval_low"], errors="coerce")):
            high = float(row["interval_high"])
            # a share's range that a published lower bound leaves open reaches 100%: say so, not "100"
            open_high = bounds[i] and scale == 100.0 and high >= 1.0
            high_text = label(chart, "open_high", lang) if open_high else _number(scale * high)
            interval = f" [{_number(scale * float(row['interval_low']))}, {high_text}]"
        estimate = unit.replace("{v}", _number(scale * pd.to_numeric(row["estimate"], errors="coerce"))) + interval
        ax.text(1.0, y + 0.04, estimate + (f" {texts['bound']}" if bounds[i] else ""), fontsize=NOTE_SIZE + 1,
                va="top", ha="right", color="#333333")
        ax.text(1.0, y + 0.24, verdict_names[row["verdict"]], fontsize=NOTE_SIZE + 1, va="top", ha="right",
                color=colour if row["verdict"] != "inconclusive" else "#555555")
        if i < len(df) - 1:
            ax.axhline(y + heights[i], color="#DDDDDD", lw=0.6)
        y += heights[i]
    plotted = df[list(LEDGER_COLUMNS)].copy()
    plotted["rests_on_bound"] = bounds
    return finish_figure(fig, title=texts["title"], subtitle=texts["subtitle"], notes=texts["notes"],
                         source=texts["source"], data=plotted, plot_bottom_in=0.15)
