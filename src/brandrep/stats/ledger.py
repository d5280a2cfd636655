"""The claims ledger: each checkable claim of the article, the test, the estimate and a verdict.

Each row states the claim in the project's own words, the data used, the test, the estimate with
its interval, a verdict from a fixed vocabulary and the assumptions that would change it. The
verdict rules are code, not prose, so a rerun with other data or parameters recomputes them:

* ``supported``: the data and test back the claim under every sourced denominator, after the
  over-dispersion adjustment where one applies;
* ``partly supported``: one part or one reading holds (e.g. the plain test but not the adjusted
  one, or the volume but not the ranking);
* ``inconclusive``: the public data cannot decide (wrong scope, lower bounds only, too few brands);
* ``not supported``: the data contradict the claim, or the figure cannot mean what the claim needs.

``rests_on_bound`` is true when an estimate uses a figure published only as a bound (">7
million"): the estimate is then itself only a bound.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from brandrep.errors import ParameterError

VERDICTS = ("supported", "partly supported", "inconclusive", "not supported")
LEDGER_COLUMNS = ["claim_id", "claim", "data_used", "test", "estimate", "interval_low", "interval_high", "verdict",
                  "assumptions", "rests_on_bound", "bound_end", "depends_on"]


def percent_text(x: float) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.2f}%"


def number_text(x: float, digits: int = 2) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def row(claim_id: str, claim: str, *, data_used: str, test: str, estimate=np.nan, interval=(np.nan, np.nan),
        verdict: str, assumptions: str, rests_on_bound: bool, bound_end: str = "", depends_on: str = "") -> dict:
    """One ledger row; the verdict must come from the fixed vocabulary.

    ``bound_end``: for a row resting on a published bound, which end of the one-sided range
    decided the verdict and why that end. ``depends_on``: what the verdict rests on (filled from
    the robustness table by ``brandrep.stats.robustness.apply_robustness``)."""
    if verdict not in VERDICTS:
        raise ParameterError(f"verdict {verdict!r} for {claim_id} is not one of {VERDICTS}")
    return {"claim_id": claim_id, "claim": claim, "data_used": data_used, "test": test, "estimate": float(estimate),
            "interval_low": float(interval[0]), "interval_high": float(interval[1]), "verdict": verdict,
            "assumptions": assumptions, "rests_on_bound": bool(rests_on_bound), "bound_end": str(bound_end),
            "depends_on": str(depends_on)}


def make_ledger(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    if frame["claim_id"].duplicated().any():
        raise ParameterError(f"duplicate claim ids {sorted(frame.loc[frame['claim_id'].duplicated(), 'claim_id'])}")
    bad = sorted(set(frame["verdict"]) - set(VERDICTS))
    if bad:
        raise ParameterError(f"verdicts outside the vocabulary: {bad}")
    return frame.sort_values("claim_id").reset_index(drop=True)


# ------------------------------------------------------------------ verdict rules, one per claim


def leader_verdict(*, window_known_brands: int, focus_top_in_window: bool | None, separated_in_window: bool | None,
                   comparison_lead_significant: bool | None) -> str:
    """Is the brand the complaint-share leader?

    With other brands' window counts known: supported if it is top and its simultaneous interval
    clears every other brand's, partly supported if top but overlapping, not supported if not top.
    With none known, the platform's ranking cannot be checked: partly supported if another period
    shows a significant lead over the runner-up, else inconclusive.
    """
    if window_known_brands > 1:
        if not focus_top_in_window:
            return "not supported"
        return "supported" if separated_in_window else "partly supported"
    return "partly supported" if comparison_lead_significant else "inconclusive"


def disproportion_verdict(*, plain_flags: list[bool], adjusted_flags: list[bool], share_flagged: float | None,
                          peers_judgeable: bool = True, rate_ratio_high: list[float] | None = None) -> str:
    """Does the brand draw more complaints than its exposure share explains?

    ``plain_flags``/``adjusted_flags``: per sourced exposure candidate, whether the plain binomial /
    the over-dispersion-adjusted test is significant at the *high* end of the candidate's range.
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


def just_volume_verdict(*, above_plain: list[bool], above_adjusted: list[bool]) -> str:
    """Is the brand's complaint count explained by its size (O/E consistent with 1)?

    Per denominator measure: is the brand above the plain / adjusted 95 % funnel limit? Not above
    even the plain limit anywhere -> supported; above the adjusted limit everywhere -> not supported;
    otherwise (above plain only, or mixed) inconclusive: volume explains it only if brands differ
    as much as the over-dispersion estimate says.
    """
    if not above_plain:
        return "inconclusive"
    if not any(above_plain):
        return "supported"
    if all(above_adjusted):
        return "not supported"
    return "inconclusive"


def reputation_verdict(*, sales_verdict: str, disproportion: str) -> str:
    """"High sales, low reputation": needs both legs; the weaker leg decides."""
    if sales_verdict == "not supported" or disproportion == "not supported":
        return "not supported"
    if disproportion == "supported" and sales_verdict == "supported":
        return "supported"
    if disproportion in {"supported", "partly supported"}:
        return "partly supported"
    return "inconclusive"


# ------------------------------------------------------------------------------ markdown output


def ledger_markdown(ledger: pd.DataFrame, *, title: str) -> str:
    """The ledger as a Markdown document (one section per claim, then a summary table)."""
    lines = [f"# {title}", "", "| claim | verdict | estimate | interval | rests on a bound |", "|---|---|---|---|---|"]
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


__all__ = ["VERDICTS", "LEDGER_COLUMNS", "row", "make_ledger", "leader_verdict", "disproportion_verdict",
           "just_volume_verdict", "reputation_verdict", "ledger_markdown", "conclusion_text", "percent_text", "number_text"]
