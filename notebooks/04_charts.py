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
# # 04 Charts: every publication chart, in Chinese and English, with a gallery
#
# **Question.** How do the suite's results look as charts an editor can print or put on a web
# page, with correct Chinese labels on any machine, and which notebook and data made each one?
#
# **Inputs** (`data/processed/`, written by notebooks 01-03): `claim_shares`, `funnel_points`,
# `funnel_limits`, `tipping_point`, `exposure_markers`, `r_simulation`, `claims_ledger`
# (notebook 03), `topics_by_brand` and `sentiment_by_brand` (notebook 02). Every word on the
# charts comes from one strings table, `src/brandrep/data/chart_strings.csv` (Chinese and
# English).
#
# **Method.** One house style (`brandrep.charts`): Okabe-Ito colours that survive colour-blind
# reading and greyscale print, a title and subtitle that say what the chart shows, notes and a
# source line under every chart, Noto Sans CJK SC from the `mplfonts` package (no system font,
# nothing downloaded). Each chart is drawn in both languages from the same function.
#
# **Outputs** (`figures/`): for each chart NAME, `NAME_zh.png`/`NAME_en.png` (1200 px wide),
# `NAME_zh@2x.png`/`NAME_en@2x.png` (2400 px), `NAME_zh.svg`/`NAME_en.svg`,
# `NAME_zh.pdf`/`NAME_en.pdf` (font embedded) and `NAME.csv` (the numbers plotted);
# `manifest.csv` (file, titles, notebook, function, input tables, source line, SHA-256) and
# `index.html`, the gallery. Every file is byte-identical when the notebook is run again.

# %% tags=["parameters"]
brand = "xiaomi"  # canonical brand key to highlight (src/brandrep/data/brand_aliases.csv)
window_start = "2024-10-14"  # complaint window whose share-vs-share chart is named plainly share_vs_share
window_end = "2024-11-11"
charts_to_build = "all"  # "all" or a comma-separated list, e.g. "share_vs_share,funnel"

# %%
import pandas as pd
from IPython.display import display

from brandrep import charts, paths
from brandrep.charts import suite
from brandrep.errors import ParameterError

if not isinstance(brand, str) or not brand.strip():
    raise ParameterError(f"parameter brand must be a non-empty brand key, got {brand!r}")
selected = tuple(suite.CHART_TABLES) if charts_to_build == "all" else tuple(
    name.strip() for name in str(charts_to_build).split(",") if name.strip())
print("CJK font:", charts.CJK_FONT_NAME)
print("reading tables from", paths.processed_dir().relative_to(paths.output_root()))

# %% [markdown]
# ## 1. Draw and save every chart
#
# One share-vs-share chart per complaint window in `claim_shares`, one funnel per dataset in
# `funnel_points` (the brand cross-sections and the US DOT validation case), the tipping-point
# curve, the simulated distribution of R, complaint topics and sentiment by brand.

# %%
run = suite.build_all(brand=brand, window=(window_start, window_end), charts=selected)
saved = run.saved
summary = pd.DataFrame([{"chart": s.name, "title_en": s.titles["en"], "title_zh": s.titles["zh"],
                         "function": s.function, "inputs": ", ".join(s.data_files)} for s in saved])
display(summary)
if run.skipped:
    display(pd.DataFrame(run.skipped, columns=["chart", "skipped because"]))

# %% [markdown]
# ## 2. A look at two of them
#
# The gallery shows them all; here the share-vs-share chart in Chinese and the tipping-point
# curve in English, as they were saved.

# %%
for chart in saved:
    if chart.name == "share_vs_share":
        display(chart.figures["zh"])
    if chart.name == "tipping_point":
        display(chart.figures["en"])

# %% [markdown]
# ## 3. Manifest and gallery

# %%
manifest_path = charts.write_manifest(saved)
gallery_path = charts.write_gallery(saved)
if charts_to_build == "all":  # figures/ then holds exactly this run's charts (old names removed)
    removed = charts.prune_stale(saved)
    if removed:
        print("removed files no chart makes any more:", ", ".join(removed))
manifest = charts.read_manifest()
problems = charts.check_manifest()
if problems:
    raise RuntimeError("manifest does not match the files: " + "; ".join(problems))
display(manifest[["chart", "language", "format", "file", "sha256"]].head(12))
print("wrote", manifest_path.relative_to(paths.output_root()), "and", gallery_path.relative_to(paths.output_root()))

# %%
by_format = manifest.groupby("format")["file"].count()
print(f"{len(saved)} charts in {len(charts.LANGUAGES)} languages: {len(manifest)} files "
      f"({', '.join(f'{n} {fmt}' for fmt, n in by_format.items())}); checksums match the manifest.")

# %% [markdown]
# ## 4. Findings: what the charts show
#
# The caption an editor would print under each chart: its title and subtitle, computed from the
# data (shares, draws flagged, verdict counts), in English and Chinese. Every chart also passes the
# layout check (no overlapping or cut-off text, no Chinese name split across lines, no label on a
# curve); a chart that fails is named here.

# %%
from brandrep.charts.layout import layout_problems

for chart in saved:
    en, zh = chart.titles["en"], chart.titles["zh"]
    en, zh = en if en[-1] in ".?!" else en + ".", zh if zh[-1] in "。？！" else zh + "。"
    print(f"{chart.name}\n  {en} {chart.subtitles['en']}\n  {zh}{chart.subtitles['zh']}")
    for lang, figure in chart.figures.items():
        for problem in layout_problems(figure):
            print(f"  LAYOUT ({lang}): {problem}")
if run.skipped:
    print("Not drawn:", "; ".join(f"{name} ({reason})" for name, reason in run.skipped))
