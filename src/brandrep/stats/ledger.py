"""The claims ledger: each checkable claim of the article, the test, the estimate and a verdict.

Each row states the claim in the project's own words, the data used, the test, the estimate with
its interval, a verdict from a fixed vocabulary, the rule that gave it (``verdict_rule``), what it
rests on (``depends_on``, from the robustness table) and the assumptions that would change it.
The rules are code, not prose, so a rerun with other data or parameters recomputes them.

Vocabulary (``VERDICT_MEANINGS``; absence of evidence is never evidence):

* ``supported``: evidence for the claim, and robust: it survives every variation of the
  robustness table (``brandrep.stats.robustness``) and, for a test, the over-dispersion
  adjustment and the conservative end of every bound;
* ``partly supported``: evidence for one part or one reading only (the plain test but not the
  adjusted one; the lead among the listed brands, while an unlisted one could be larger;
  "supported" under the default reading but not under every variation);
* ``inconclusive``: no evidence either way: nothing significant, a wrong scope, lower bounds
  only, too few brands, no cross-section to judge against peers;
* ``not supported``: evidence against the claim: an interval that excludes it (every R interval
  below 1), a brand ranked below others for certain, or a figure whose scope demonstrably cannot
  mean what the claim needs (a stock of one product against flows of all products).

The rule of each claim is in its function's docstring and, as one sentence, in ``RULES`` (written
into the ledger's ``verdict_rule`` column).

``rests_on_bound`` is true when an estimate uses a figure published only as a bound (">7
million"): the estimate is then itself only a bound, and ``bound_end`` says which end of the
one-sided range decided.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from brandrep.errors import ParameterError

VERDICTS = ("supported", "partly supported", "inconclusive", "not supported")
VERDICT_MEANINGS = {
    "supported": "evidence for the claim that survives every variation of the robustness table",
    "partly supported": "evidence for one part or one reading of the claim only",
    "inconclusive": "no evidence either way (absence of evidence is not evidence against)",
    "not supported": "evidence against the claim (e.g. an interval that excludes it)",
}
LEDGER_COLUMNS = ["claim_id", "claim", "data_used", "test", "estimate", "interval_low", "interval_high", "verdict",
                  "assumptions", "rests_on_bound", "bound_end", "depends_on", "verdict_rule"]
# C3 "just volume" is supported only when O/E is shown to be close to 1: its whole interval inside
# [1/1.25, 1.25], the conventional 80-125 % equivalence margin (FDA bioequivalence guidance);
# an O/E merely not significantly above 1 is absence of evidence.
EQUIVALENCE_MARGIN = 1.25
# C4 "high volume": among the top TOP_RANKS of a category for certain (unlisted brands included)
TOP_RANKS = 3


def percent_text(x: float) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.2f}%"


def number_text(x: float, digits: int = 2) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def row(claim_id: str, claim: str, *, data_used: str, test: str, estimate=np.nan, interval=(np.nan, np.nan),
        verdict: str, assumptions: str, rests_on_bound: bool, bound_end: str = "", depends_on: str = "",
        verdict_rule: str = "") -> dict:
    """One ledger row; the verdict must come from the fixed vocabulary.

    ``bound_end``: for a row resting on a published bound, which end of the one-sided range
    decided the verdict and why that end. ``depends_on``: what the verdict rests on (filled from
    the robustness table by ``brandrep.stats.robustness.apply_robustness``). ``verdict_rule``:
    the rule that gave the verdict (``RULES``)."""
    if verdict not in VERDICTS:
        raise ParameterError(f"verdict {verdict!r} for {claim_id} is not one of {VERDICTS}")
    return {"claim_id": claim_id, "claim": claim, "data_used": data_used, "test": test, "estimate": float(estimate),
            "interval_low": float(interval[0]), "interval_high": float(interval[1]), "verdict": verdict,
            "assumptions": assumptions, "rests_on_bound": bool(rests_on_bound), "bound_end": str(bound_end),
            "depends_on": str(depends_on), "verdict_rule": str(verdict_rule or RULES.get(claim_id, ""))}


def make_ledger(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    if frame["claim_id"].duplicated().any():
        raise ParameterError(f"duplicate claim ids {sorted(frame.loc[frame['claim_id'].duplicated(), 'claim_id'])}")
    bad = sorted(set(frame["verdict"]) - set(VERDICTS))
    if bad:
        raise ParameterError(f"verdicts outside the vocabulary: {bad}")
    return frame.sort_values("claim_id").reset_index(drop=True)


# ------------------------------------------------------------------ verdict rules, one per claim

RULES = {
    "C1": "supported: top for certain in the window (no unlisted brand can be larger) and its simultaneous interval "
          "clears every rival's; partly supported: top among the listed brands only, or a significant lead in another "
          "period that no unlisted brand can overturn; not supported: a listed brand has more; else inconclusive",
    "C2": "supported: every sourced denominator flags the brand with the over-dispersion-adjusted test (peers-only and "
          "all-brand phi) at the conservative end of its range, with >= 95 % of Monte Carlo draws flagged, and every "
          "robustness variation agrees; partly supported: every denominator flags it with the plain test only; "
          "not supported: every R interval lies below 1; inconclusive: otherwise, or no cross-section to judge "
          "over-dispersion",
    "C3": f"supported: below the plain limit everywhere and every O/E interval within [1/{EQUIVALENCE_MARGIN:g}, "
          f"{EQUIVALENCE_MARGIN:g}]; not supported: above the adjusted limit (one-sided t on phi's df) everywhere; "
          "else inconclusive",
    "C4": f"supported: first of its category for certain; partly supported: in the top {TOP_RANKS} of a category for "
          f"certain (unlisted brands counted); not supported: below the top {TOP_RANKS} for certain among the listed "
          "brands; inconclusive: volumes without a rank (a large absolute number is no comparison)",
    "C5": "the weaker of C2 and C4 (not supported if either is)",
    "C6": "inconclusive unless after-sales and all complaints are counts of one sample (keyword hits published as "
          "lower bounds are not)",
    "C7": "not supported when the figure's scope demonstrably differs from the complaints' (other category, a "
          "cumulative stock against a flow, another period); supported when all three match; else inconclusive",
    "C8": "supported: the later/earlier rate ratio's interval, allowing for between-period variation, lies above 1; "
          "not supported: below 1; inconclusive: otherwise, or the two periods' scopes cannot be matched",
}

_STRENGTH = {"not supported": 0, "inconclusive": 1, "partly supported": 2, "supported": 3}


def leader_verdict(*, window_known_brands: int, focus_top_in_window: bool | None, separated_in_window: bool | None,
                   comparison_lead_significant: bool | None, unlisted_could_lead: bool = False,
                   comparison_unlisted_could_lead: bool = False) -> str:
    """Is the brand the complaint-share leader?

    With other brands' window counts known: not supported if a listed brand has more; supported
    if it is top, its simultaneous interval clears every other brand's and the unlisted
    remainder (total minus the listed counts) is smaller than its count, so no unlisted brand
    can be larger; partly supported if top among the listed brands but overlapping, or if an
    unlisted brand could be larger. With none known: partly supported if another period shows a
    significant lead over the runner-up that no unlisted brand can overturn, else inconclusive.
    """
    if window_known_brands > 1:
        if not focus_top_in_window:
            return "not supported"
        return "supported" if separated_in_window and not unlisted_could_lead else "partly supported"
    return ("partly supported" if comparison_lead_significant and not comparison_unlisted_could_lead
            else "inconclusive")


def sales_verdict(ranks: list[tuple[int, int, int]]) -> str:
    """Does the brand sell in high volume? ``ranks``: per category with retail shares, (rank
    among the listed brands, number listed, unlisted brands that could be ahead: the unlisted
    remainder of the market divided by the brand's share, rounded down).

    Supported if first for certain in some category (first among >= 2 listed, no unlisted brand
    can be larger); partly supported if in the top ``TOP_RANKS`` for certain; not supported if
    ``TOP_RANKS`` listed brands are ahead in every category; inconclusive otherwise, including
    volumes with no rank at all: a large absolute number is no comparison (issue 14: "partly
    supported whenever any volume row exists").
    """
    ranked = [(rank, n, hidden) for rank, n, hidden in ranks if n >= 2]  # first of one is no rank
    if not ranked:
        return "inconclusive"
    if any(rank == 1 and hidden == 0 for rank, _, hidden in ranked):
        return "supported"
    if any(rank + hidden <= TOP_RANKS for rank, _, hidden in ranked):
        return "partly supported"
    if all(rank > TOP_RANKS for rank, _, _ in ranked):
        return "not supported"
    return "inconclusive"


def disproportion_verdict(*, plain_flags: list[bool], adjusted_flags: list[bool], share_flagged: float | None,
                          peers_judgeable: bool = True, rate_ratio_high: list[float] | None = None) -> str:
    """Does the brand draw more complaints than its exposure share explains?

    ``plain_flags``/``adjusted_flags``: per sourced exposure candidate, whether the plain binomial /
    the over-dispersion-adjusted test is significant at the *high* end of the candidate's range
    (the end conservative for R > 1: a lower bound on the share makes R an upper bound).
    ``share_flagged``: Monte Carlo share of draws flagged by the adjusted test.
    ``peers_judgeable``: False when no cross-section gave an over-dispersion estimate; brands
    always differ by more than binomial chance, so the plain test alone cannot say "more than
    volume explains" and the verdict is inconclusive ("cannot be judged against peers"), never
    the phi = 1 answer.
    ``rate_ratio_high``: per candidate, the upper limit of R. "not supported" needs evidence
    against the claim: every candidate's interval below 1 (fewer complaints than volume predicts);
    nothing significant alone is absence of evidence, hence "inconclusive".
    """
    if not plain_flags or not peers_judgeable:
        return "inconclusive"
    if all(adjusted_flags) and (share_flagged is None or share_flagged >= 0.95):
        return "supported"
    if not any(plain_flags):
        against = bool(rate_ratio_high) and all(r < 1 for r in rate_ratio_high)
        return "not supported" if against else "inconclusive"
    if all(plain_flags):
        return "partly supported"
    return "inconclusive"


def just_volume_verdict(*, above_plain: list[bool], above_adjusted: list[bool],
                        ratio_intervals: list[tuple[float, float]] | None = None) -> str:
    """Is the brand's complaint count explained by its size (O/E consistent with 1)?

    Per denominator measure: is the brand above the plain / adjusted funnel limit, and what is
    the exact interval of its O/E? Above the adjusted limit everywhere -> not supported (evidence
    against "just volume"); not above even the plain limit anywhere *and* every O/E interval
    inside [1/EQUIVALENCE_MARGIN, EQUIVALENCE_MARGIN] -> supported (evidence that O/E is close to
    1); not above anywhere without such intervals -> inconclusive: a test that rejects nothing
    is absence of evidence, not evidence for the claim; mixed -> inconclusive.
    """
    if not above_plain:
        return "inconclusive"
    if all(above_adjusted):
        return "not supported"
    if not any(above_plain):
        close = bool(ratio_intervals) and len(ratio_intervals) == len(above_plain) and all(
            1 / EQUIVALENCE_MARGIN <= low and high <= EQUIVALENCE_MARGIN for low, high in ratio_intervals)
        return "supported" if close else "inconclusive"
    return "inconclusive"


def reputation_verdict(*, sales_verdict: str, disproportion: str) -> str:
    """"High sales, low reputation": needs both legs, so the weaker leg decides (not supported
    if either leg is; a leg that is inconclusive makes the claim inconclusive)."""
    for verdict in (sales_verdict, disproportion):
        if verdict not in _STRENGTH:
            raise ParameterError(f"verdict {verdict!r} is not one of {VERDICTS}")
    return min((sales_verdict, disproportion), key=_STRENGTH.__getitem__)


def scope_verdict(*, category_matches: bool | None, flow_matches: bool | None, period_matches: bool | None) -> str:
    """Can a denominator be the exposure for the complaints (C7)? Each check is True (matches),
    False (demonstrably differs) or None (cannot be checked). A demonstrable mismatch is evidence
    against -> not supported; all three match -> supported; otherwise inconclusive."""
    checks = (category_matches, flow_matches, period_matches)
    if any(c is False for c in checks):
        return "not supported"
    if all(c is True for c in checks):
        return "supported"
    return "inconclusive"


# ------------------------------------------------------------------------------ markdown output


def ledger_markdown(ledger: pd.DataFrame, *, title: str) -> str:
    """The ledger as a Markdown document (one section per claim, then a summary table)."""
    lines = [f"# {title}", "", "Verdicts: " + "; ".join(f"*{v}*: {m}" for v, m in VERDICT_MEANINGS.items()) + ".", "",
             "| claim | verdict | estimate | interval | rests on a bound |", "|---|---|---|---|---|"]
    for r in ledger.itertuples():
        lines.append(f"| {r.claim_id}: {r.claim} | {r.verdict} | {number_text(r.estimate, 4)} | "
                     f"{number_text(r.interval_low, 4)} to {number_text(r.interval_high, 4)} | {'yes' if r.rests_on_bound else 'no'} |")
    for r in ledger.itertuples():
        lines += ["", f"## {r.claim_id}: {r.claim}", "", f"- Verdict: **{r.verdict}**",
                  f"- Data used: {r.data_used}", f"- Test: {r.test}",
                  f"- Estimate: {number_text(r.estimate, 4)} (interval {number_text(r.interval_low, 4)} to {number_text(r.interval_high, 4)})",
                  f"- Rests on a published bound: {'yes' if r.rests_on_bound else 'no'}"
                  + (f"; decided by {r.bound_end}" if r.rests_on_bound and r.bound_end else ""),
                  f"- Depends on: {r.depends_on or 'not checked'}",
                  f"- Rule: {r.verdict_rule}",
                  f"- Assumptions that would change it: {r.assumptions}"]
    return "\n".join(lines) + "\n"


def conclusion_text(ledger: pd.DataFrame) -> str:
    """A plain statement of what can and cannot be concluded, built from the verdicts."""
    parts = []
    for verdict, lead in (("supported", "The public numbers support"), ("partly supported", "They partly support"),
                          ("inconclusive", "They cannot decide"), ("not supported", "They do not support")):
        claims = ledger[ledger["verdict"] == verdict]
        if len(claims):
            listed = "; ".join(f"{c.claim_id} ({c.claim.rstrip('.')})" for c in claims.itertuples())
            parts.append(f"{lead}: {listed}.")
    bound = ledger[ledger["rests_on_bound"]]
    if len(bound):
        parts.append(f"{len(bound)} of {len(ledger)} estimates rest on figures published only as bounds "
                     f"({', '.join(bound['claim_id'])}); they are bounds themselves.")
    return " ".join(parts)


__all__ = ["VERDICTS", "VERDICT_MEANINGS", "RULES", "LEDGER_COLUMNS", "row", "make_ledger", "leader_verdict",
           "sales_verdict", "disproportion_verdict", "just_volume_verdict", "reputation_verdict", "scope_verdict", "ledger_markdown", "conclusion_text", "percent_text", "number_text"]
