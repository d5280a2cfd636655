# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: brandrep (.venv)
#     language: python
#     name: brandrep
# ---

# %% [markdown]
# # 01 · Clean the complaint, shipment and sales figures
#
# **Question.** Which numbers behind the "high sales, low reputation" claim (羊城晚报, 2024-12-26,
# page A7) can be used, what does each one count, and how many complaints does "15.15% of 726"
# actually mean?
#
# **Inputs** (`data/raw/`, transcribed as the sources write them; see `data/raw/README.md`):
# `figures.csv` (every sourced number with its source, period and confidence) and
# `complaint_shares.csv` (complaint shares and counts by platform, period and brand: a researcher
# can point the `complaints_path` parameter at their own file in the same schema;
# `brandrep new-case DIR` writes templates). Cleaning stops, naming the file and the main reject
# reasons, when every row of a file is rejected, so an empty table never reaches notebook 03.
#
# **Outputs** (`data/processed/`, Parquet and UTF-8-with-BOM CSV): `figures`, `complaints`,
# `denominators`, `rejects` and `datapackage.json`, the data dictionary describing every column.
#
# Method notes: docs/methods.md sections 0, 1 (step 1, denominator audit) and 6 (pitfalls), summarised
# where they apply.

# %% tags=["parameters"]
figures_path = ""  # empty: data/raw/figures.csv
complaints_path = ""  # empty: data/raw/complaint_shares.csv

# %%
import pandas as pd
from IPython.display import Markdown, display

from brandrep.cleaning import build, counts_for_share
from brandrep.numbers import parse_quantity
from brandrep.paths import processed_dir

pd.set_option("display.max_colwidth", 60)
pd.set_option("display.width", 200)

result = build(figures_path or None, complaints_path or None)
figures = result.tables["figures"]
complaints = result.tables["complaints"]
denominators = result.tables["denominators"]
rejects = result.tables["rejects"]

# %% [markdown]
# ## 1. Sources
#
# One row per source: how many figures it gives, when it was published and how far it can be
# trusted. Most sources other than the newspaper page and company filings were seen only as
# reposts or mirrors, so their confidence is capped at medium.

# %%
sources = (figures.groupby(["source_name", "confidence"], dropna=False)
           .agg(figures=("figure_id", "count"), first_id=("figure_id", "min"),
                published=("published_date", "min"), url=("source_url", "first"))
           .reset_index().sort_values("first_id"))
sources

# %% [markdown]
# ## 2. What each number can and cannot support
#
# **Qualifiers.** A value such as `超过15.8万` or `超680万台` is a floor. The parsed value keeps the
# qualifier, and a lower bound has no `value_high`, so no later step can treat it as exact.

# %%
figures.groupby("qualifier").agg(figures=("figure_id", "count"),
                                 examples=("raw_value", lambda s: ", ".join(s.head(4))))

# %% [markdown]
# **The newspaper's own figures** (`S*`). The 726 complaints cover all home appliances and all
# brands on one platform over four weeks. The 黑猫投诉 numbers are cumulative keyword-search hits
# across every Xiaomi product. The 7 million locks are a cumulative stock since launch, not a
# yearly flow. None of them is a smart-lock complaint rate.

# %%
figures.loc[figures["figure_id"].str.startswith("S"),
            ["figure_id", "metric", "brand", "platform", "raw_value", "value", "qualifier", "unit",
             "period_start", "period_end", "as_of_date"]]

# %% [markdown]
# **Series that must not be mixed.** The 2024 smart-lock market size depends on who counts:
# RUNTO counts retail sales, the industry body counts production and sales, and Frost & Sullivan
# counts shipments (its market size is only implied by Lockin's volume and share). One ratio must
# use one series. The 2024 actuals (forecasts left out) are shown side by side below.

# %%
locks_2024 = denominators[(denominators["measure"] == "market_volume") & (denominators["category"] == "smart_locks")
                          & (denominators["qualifier"] != "forecast") & (denominators["period_start"] == "2024-01-01")
                          & (denominators["period_end"] == "2024-12-31")]
by_id = figures.set_index("figure_id")
series = locks_2024[["source_ids", "value", "qualifier", "basis"]]
if {"L25a", "L25b"} <= set(by_id.index):  # Frost & Sullivan: market implied by Lockin's units and share
    implied_fs = by_id.at["L25a", "value"] / (by_id.at["L25b", "value"] / 100)
    series = pd.concat([series, pd.DataFrame([{
        "source_ids": "L25a;L25b", "value": implied_fs, "qualifier": "estimate",
        "basis": "derived here: Frost & Sullivan shipments implied by Lockin's units and share"}])], ignore_index=True)
series.assign(万套=series["value"] / 1e4)

# %%
spread = series["value"].max() / series["value"].min() - 1 if len(series) else float("nan")
display(Markdown(f"The largest 2024 figure is **{spread:.0%}** above the smallest, so the market size is a "
                 "sensitivity range, not a constant." if len(series) > 1 else "Fewer than two 2024 series found."))

# %% [markdown]
# **Denominators and their scope.** Candidate exposures by brand: revenue (global, segments that
# do not match "home appliances"), shipments (only Xiaomi publishes units, and those are
# lower bounds), ODM volume (Lockin builds locks for Xiaomi; the Xiaomi rows marked `estimate`
# are derived from Lockin's volume and Xiaomi's share of Lockin's ODM revenue) and retail shares
# (AC only, online or offline, brand family or single brand).

# %%
denominators.assign(value_fmt=denominators["value"].map(lambda v: f"{v:,.0f}" if pd.notna(v) else ""))[
    ["brand", "measure", "category", "value_fmt", "qualifier", "unit", "scope", "period_start", "period_end",
     "source_ids", "confidence"]]

# %% [markdown]
# ## 3. Reconciliation: from a share to a count
#
# 消费保's figure is a share. The whole number of complaints behind "15.15% of 726" is any count c
# whose share c/726, rounded to two decimals as the source did, is 15.15%. Only one count qualifies.

# %%
share, total = parse_quantity("15.15%"), 726
counts = counts_for_share(share, total)
low_edge = (share.value - float(share.half_unit)) * total / 100
high_edge = (share.value + float(share.half_unit)) * total / 100
display(Markdown(f"{low_edge:.3f} ≤ c ≤ {high_edge:.3f}, so c ∈ {{{counts.low}…{counts.high}}}: "
                 f"**{counts.unique} complaints** (110/726 = {110 / 726:.4%})."))

# %% [markdown]
# The complaints table, reconciled. A share written with fewer significant digits relative to the
# total admits several counts (`complaints` is then empty and `complaints_low`–`complaints_high`
# gives the set). The brands the page ranks below Xiaomi are upper bounds, and the 黑猫投诉 keyword
# counts are lower bounds.

# %%
complaints

# %% [markdown]
# Two windows on the same platform: the Double-11 window (four weeks) and the whole of 2024.
# Xiaomi's share of each, with the count and total it rests on, computed from the table:

# %%
xiaomi = complaints[(complaints["brand"] == "xiaomi") & (complaints["platform"] == "消费保")
                    & complaints["total"].notna()]
xiaomi[["period_start", "period_end", "complaints", "complaints_low", "complaints_high", "total", "share_pct",
        "qualifier"]]

# %% [markdown]
# ## 4. Tables written, and what was set aside
#
# Every raw file reconciles: rows read = accepted + rejected + duplicates. Rejected rows are in
# `rejects` with file, line, column and reason (the table is written with its header even when it
# is empty).

# %%
print(result.report())
for acc in result.accounting.values():
    acc.check()
rejects

# %%
written = sorted(p.name for p in processed_dir().glob("*") if p.name.split(".")[0] in
                 ("figures", "complaints", "denominators", "rejects", "datapackage"))
pd.DataFrame({"file": written})

# %% [markdown]
# ## What was found
#
# Computed from the tables above:

# %%
from_shares = complaints[complaints["total"].notna() & complaints["share_pct"].notna()
                         & complaints["qualifier"].isin(["exact", "approximate"])]
bounds = (figures["qualifier"] == "lower_bound").sum()
lines = [f"- {len(figures)} sourced figures from {figures['source_name'].nunique()} sources; "
         f"{bounds} of them are lower bounds and stay lower bounds in every table."]
for r in from_shares.itertuples():
    counts = (f"**{r.complaints}**" if pd.notna(r.complaints)
              else f"{r.complaints_low}–{r.complaints_high} (the share is too coarse to pin one count)")
    lines.append(f"- {r.brand} on {r.platform}, {r.period_start or 'start'} to {r.period_end}: "
                 f"{counts} of {r.total} complaints ({r.share_pct:.2f}%).")
if len(series) > 1:
    lines.append(f"- The 2024 smart-lock market size differs by {spread:.0%} between series (retail, "
                 "production+sales, shipments), so each ratio must name its series.")
lock_rows = (complaints["category"] == "smart_locks").sum()
lines.append("- No complaint count in these tables is specific to smart locks, so the lock figures are context, "
             "not a denominator for the platform counts." if not lock_rows else
             f"- {lock_rows} complaint rows are specific to smart locks.")
lines.append(f"- {len(denominators)} candidate denominators carry basis, scope and qualifier; {len(rejects)} raw "
             f"rows were rejected or set aside; accounting: {result.total.line()}.")
display(Markdown("\n".join(lines)))
