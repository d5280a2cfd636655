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
# # 03 Claim test: are a brand's complaints more than its sales volume explains?
#
# **Question.** A complaint share means nothing until it is set against the brand's share of what
# could be complained about. Given a brand's complaint count on a platform in a window, does it
# draw more complaints than its share of sales explains, and which of the article's claims do the
# public numbers support?
#
# **Inputs** (parameters below): the complaints and denominators tables written by notebook
# `01_clean_data` (`data/processed/complaints`, `data/processed/denominators`, or any file in the
# same schema), the US DOT validation table in `data/raw/validation/`, the brand, platform,
# complaint window, a comparison period with several brands' counts, the significance level,
# the over-dispersion factor (0 = estimate it), a seed, the number of simulations and whether
# undated and low-confidence denominator rows may enter the verdicts (by default they do not).
#
# **Method.** Clopper-Pearson intervals for the complaint share; the relative complaint rate
# R = complaint share / exposure share with one-sided exact tests, with and without
# over-dispersion (exact binomial, and beta-binomial with the binomial variance times phi); the break-even exposure share; a Spiegelhalter funnel with exact Poisson and
# additive random-effects limits (validated on the US DOT table); Poisson, quasi-Poisson and
# negative-binomial models with exposure and the slope-1 "just volume" test; a tipping-point
# curve and a seeded Monte Carlo over every sourced denominator range. Code: `brandrep.stats`.
#
# **Outputs** (`data/processed/`): `claim_shares`, `funnel_points`, `funnel_limits`,
# `tipping_point`, `exposure_markers`, `r_simulation`, `claims_ledger`, `claims_robustness`,
# `complaint_rates` (Parquet + CSV) and `claims_ledger.md`. Charts are shown here only; notebook 04 saves the publication figures.

# %% tags=["parameters"]
brand = "xiaomi"  # canonical brand key (src/brandrep/data/brand_aliases.csv)
platform = "消费保"  # complaint platform, as in the complaints table
window_start = "2024-10-14"  # complaint window (YYYY-MM-DD), as in the complaints table
window_end = "2024-11-11"
comparison_start = "2024-01-01"  # a period on the same platform with several brands' counts
comparison_end = "2024-12-31"
complaints_path = ""  # empty: data/processed/complaints.parquet from notebook 01, else a file in that schema
denominators_path = ""  # empty: data/processed/denominators.parquet from notebook 01
total = 0  # platform total for the window (0: the total in the complaints table)
alpha = 0.05  # one-sided significance level
phi = 0.0  # over-dispersion factor for the window (0: estimate it from the comparison period)
seed = 20241226  # Monte Carlo seed
n_simulations = 10000  # Monte Carlo draws
candidate_weights = {}  # Monte Carlo weight per exposure candidate, e.g. {"retail_share:air_conditioners": 2}; {}: equal per scope
include_weak_rows = False  # True: undated and low-confidence denominator rows enter the verdicts (always in the robustness table)

# %%
from pathlib import Path

import matplotlib.pyplot as plt
from IPython import get_ipython
from IPython.display import Markdown, display

from brandrep import charts, paths
from brandrep.cleaning.datapackage import write_datapackage
from brandrep.errors import BrandrepError
from brandrep.io import write_table, write_text
from brandrep.stats import claim_test, inputs, ledger, validation

if get_ipython() is not None:  # show charts inline even when MPLBACKEND=Agg (headless runs)
    get_ipython().run_line_magic("matplotlib", "inline")

# Stop on a bad parameter before anything is read or drawn.
params = claim_test.check_parameters(
    brand=brand, platform=platform, window_start=window_start, window_end=window_end,
    comparison_start=comparison_start, comparison_end=comparison_end, total=total, alpha=alpha, phi=phi,
    seed=seed, n_simulations=n_simulations, include_weak_rows=include_weak_rows, candidate_weights=candidate_weights,
)


def table_path(given: str, stem: str) -> Path:
    """A given path (relative to the project root) or notebook 01's processed table."""
    if not given:
        return paths.processed_dir() / f"{stem}.parquet"
    path = Path(given)
    return path if path.is_absolute() else paths.PROJECT_ROOT / path


complaints = inputs.read_complaints(table_path(complaints_path, "complaints"))
denominators = inputs.read_denominators(table_path(denominators_path, "denominators"))
dot = validation.read_denied_boarding(2016)
results = claim_test.run(complaints, denominators, dot, params)
tables = results.tables
count, total_n = int(results.focus["complaints"]), int(results.focus["total"])
print(f"{params.brand} on {params.platform}, {params.window_start} to {params.window_end}: {count} of {total_n} complaints")

# %% [markdown]
# ## 1. The complaint share and the exposure shares it must be set against
#
# Every exposure share the denominators table supports, with the relative complaint rate R, its
# interval (sampling interval of the share combined with the sourced range of the exposure) and
# the one-sided exact p-value. Rows of the comparison period show the other brands.

# %%
display(tables["claim_shares"])
display(results.candidates)
# absolute rates: complaints per 亿元 revenue and per 10,000 units, for every figure of each brand
display(tables["complaint_rates"])
for note in results.notes:
    print("note:", note)
weak = results.weak_rows
print(f"{len(weak)} undated or low-confidence denominator row(s) "
      f"{'included in' if params.include_weak_rows else 'kept out of'} the verdicts "
      "(parameter include_weak_rows; the robustness table in section 6 shows the verdicts the other way):")
display(weak[[c for c in ("source_ids", "brand", "measure", "category", "value", "qualifier", "confidence", "reason")
              if c in weak]])

# %%
def show(chart, *args, **kwargs):
    """Draw one brandrep chart inline (notebook 04 saves them); say why if it cannot be drawn."""
    try:
        fig = chart(*args, **kwargs)
    except BrandrepError as error:
        print(f"chart not drawn: {error}")
        return
    display(fig)
    plt.close(fig)


# Share-vs-share: complaint share (exact interval) against exposure share; the diagonal is "just volume".
show(charts.share_vs_share, tables["claim_shares"], platform=params.platform, period_start=params.window_start,
     period_end=params.window_end, highlight=params.brand)
show(charts.share_vs_share, tables["claim_shares"], platform=params.platform, period_start=params.comparison_start,
     period_end=params.comparison_end, highlight=params.brand)

# %% [markdown]
# ## 2. Break-even exposure share and the tipping-point curve
#
# The brand's complaint count is "disproportionate at level alpha" only if its true exposure
# share is below the break-even share. Over-dispersion (brands differ by more than chance) lowers
# it. The curve shows R and both p-values over the assumed exposure share, with every sourced
# estimate marked.

# %%
print(f"every test is one-sided ('more complaints than the exposure share predicts') at alpha = {params.alpha:g}; "
      f"intervals are two-sided {1 - params.alpha:.0%}; the over-dispersed test is the beta-binomial with the "
      "binomial variance times phi, which is the exact binomial at phi = 1")
print(f"break-even exposure share without over-dispersion: {results.break_even_plain:.2%}")
print(f"with phi = {results.phi:.2f} ({results.phi_source}): {results.break_even_adjusted:.2%}")
if results.phi_peers is not None:
    print(f"with phi = {results.phi_peers:.2f} ({results.phi_peers_source}): {results.break_even_peers:.2%}")
# The curves are computed for the test window: its platform and dates go into the title.
test_window = dict(platform=params.platform, period_start=params.window_start, period_end=params.window_end)
show(charts.tipping_point, tables["tipping_point"], tables["exposure_markers"], brand=params.brand, **test_window)
display(tables["exposure_markers"])

# %% [markdown]
# ## 3. Monte Carlo over the sourced denominator ranges
#
# Each draw takes an exposure share uniformly within a sourced range, a bound over its one-sided
# range (shares of one category drawn jointly and re-normalised), recomputes R and the
# over-dispersion-adjusted test. The draws are allocated by a stated prior over the candidate
# denominators: the `candidate_weights` parameter, by default equal per sourced scope (product
# category). The result is the share of plausible denominators under which the brand is flagged,
# not a probability of the claim; beside it, a Bayesian P(R > 1 | data, prior) with a Jeffreys
# prior on the complaint share and the same mixture as prior on the exposure share.

# %%
flip = results.display["flip"]
if flip:
    print("weights per candidate (" + ("set by the user" if params.candidate_weights else "equal per sourced scope")
          + "): " + ", ".join(f"{m} {w:.2f}" for m, w in flip["weights"].items()))
    print(f"{flip['n']} plausible denominators drawn: median R {flip['rate_ratio_median']:.2f} (5-95%: "
          f"{flip['rate_ratio_p05']:.2f}-{flip['rate_ratio_p95']:.2f}); the share of plausible denominators under "
          f"which the adjusted test flags {params.brand} is {flip['share_flagged']:.1%} (plain binomial test: "
          f"{flip['share_flagged_plain']:.1%}); the verdict differs from the point estimate's under "
          f"{flip['share_flipped']:.1%} of them")
    print(f"Bayesian reading: P(R > 1 | data, prior) = {flip['p_r_above_1']:.3f} (Jeffreys Beta(1/2, 1/2) prior on "
          "the complaint share; the weighted mixture of sourced exposure ranges as prior on the exposure share)")
    show(charts.r_simulation, tables["r_simulation"], brand=params.brand, **test_window)
else:
    print("no sourced exposure share for this brand: no simulation")

# %% [markdown]
# ## 4. Funnel plots: the DOT validation case and the brand cross-sections
#
# Ratio observed/expected against exposure, with exact Poisson limits (dashed) and additive
# random-effects limits (solid). The US DOT denied-boarding data show why the adjustment matters:
# with big denominators the plain limits flag almost every airline.

# %%
points, limits = tables["funnel_points"], tables["funnel_limits"]
for dataset in dict.fromkeys(points["dataset"]):
    brands_in = set(points.loc[points["dataset"] == dataset, "unit"])
    show(charts.funnel, points, limits, dataset=dataset, highlight=params.brand if params.brand in brands_in else None)
display(points)

# %% [markdown]
# ## 5. Count models with exposure and the "just volume" slope test
#
# Rate ratio of the brand against the pooled other brands (Poisson, quasi-Poisson, negative
# binomial with estimated alpha), the slope of log complaints on log volume (1 = complaints
# proportional to volume) and the Poisson dispersion tests. With three brands every one of these
# has one or two degrees of freedom: read them as illustrations, not findings. A model with fewer
# observations than parameters + 1, or one that does not converge, is not fitted, and the reason
# is printed instead of numbers.

# %%
count_models = results.display["count_models"]
display(count_models)
for m in count_models[~count_models["fitted"]].itertuples() if len(count_models) else ():
    print(f"{m.measure}, {m.model}: {m.reason}")
display(results.display["slope_tests"])
dispersion = results.display["dispersion_tests"]
display(dispersion)
for measure, tests in dispersion.groupby("measure", sort=False) if len(dispersion) else ():
    print(f"{measure}: dispersion tests on {int(tests['df'].iloc[0])} df at alpha = {tests['alpha'].iloc[0]:g}: "
          f"{int(tests['rejects'].sum())} of {len(tests)} reject equidispersion"
          + ("" if tests["tests_agree"].iloc[0] else "; they disagree, so none of them decides"))
if len(results.display["screened"]):
    print("several brands screened at once: Benjamini-Hochberg false discovery rate over the one-sided p-values:")
    display(results.display["screened"])
if len(results.display["simultaneous"]):
    print("simultaneous 95% intervals for the comparison period (Goodman / Sison-Glaz):")
    display(results.display["simultaneous"])

# %% [markdown]
# ## 6. Robustness of each verdict
#
# Every verdict recomputed with each candidate denominator left out, with the undated and
# low-confidence rows in (or out, if the run included them), and with phi at 1, from the peers
# only and from all brands. A verdict is "supported" only if it survives the whole table; the
# ledger's `depends_on` names each variation that changes a verdict.

# %%
robust = tables["claims_robustness"]
display(robust[robust["changes_verdict"] | (robust["variation"] == "as reported")])
print(f"{int(robust['changes_verdict'].sum())} of {int((robust['variation'] != 'as reported').sum())} "
      "variations change a verdict; the full table is written as claims_robustness")

# %% [markdown]
# ## 7. Write the tables

# %%
out = paths.processed_dir()
for name in ("claim_shares", "funnel_points", "funnel_limits", "tipping_point", "exposure_markers", "r_simulation",
             "claims_ledger", "claims_robustness", "complaint_rates"):
    write_table(tables[name], out / name)
write_datapackage(out)  # the data dictionary now covers these tables too
ledger_md = ledger.ledger_markdown(tables["claims_ledger"],
                                   title=f"Claims ledger: {params.brand}, {params.platform}, {params.window_start} to {params.window_end}")
write_text(out / "claims_ledger.md", ledger_md)
print("wrote", ", ".join(sorted(p.name for p in out.glob("claim*"))))

# %% [markdown]
# ## 8. The claims ledger

# %%
display(Markdown(ledger_md))

# %% [markdown]
# ## What was found, and what cannot be concluded
#
# The statement below is built from the ledger's verdicts and the computed break-even shares, so
# it changes with the data and parameters.

# %%
statement = ledger.conclusion_text(tables["claims_ledger"])
statement += (
    f" The {count} of {total_n} complaints ({count / total_n:.2%}) are disproportionate at {params.alpha:.0%} only if "
    f"{params.brand}'s true share of the exposure is below {results.break_even_plain:.2%} with no over-dispersion, "
    f"or below {results.break_even_adjusted:.2%} allowing for between-brand over-dispersion (phi {results.phi:.1f})."
)
if len(results.candidates):
    statement += (f" The sourced exposure shares range from {results.candidates['exposure_share_low'].min():.2%} to "
                  f"{results.candidates['exposure_share_high'].max():.2%}; each holds only as far as its scope (category, "
                  "channel, period, units or revenue) matches the complaints'.")
print(statement)
