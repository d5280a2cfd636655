"""The robustness table: each verdict recomputed under every variation a reviewer would try.

A verdict that flips when one weak figure is dropped rests on that figure, and the ledger must
say so (issue 14: the undated, low-confidence lock share X11 alone moved C2 and C5). Notebook 03
reruns its verdicts (``brandrep.stats.claim_test.run``) with

* each candidate exposure denominator left out, one at a time;
* the undated and low-confidence denominator rows included (or, when a user included them,
  excluded: the other way round from the run's own setting);
* over-dispersion read three ways: phi = 1, phi from the peers only, phi from all brands.

Rules (stated in the ledger too):

* a verdict is ``supported`` only if every variation gives ``supported``; otherwise it is
  ``partly supported`` and the ledger names the variations under which it is not;
* every other verdict is kept, and ``depends_on`` names each variation that changes it
  ("denominator left out: retail_share:smart_locks (X11) -> partly supported"), so a verdict
  resting on one figure says which; an empty list reads "same verdict under every variation".
"""

from __future__ import annotations

import pandas as pd

from brandrep.errors import ParameterError

__all__ = ["ROBUSTNESS_COLUMNS", "BASE_VARIATION", "robustness_table", "apply_robustness", "ROBUST_TEXT"]

ROBUSTNESS_COLUMNS = ["claim_id", "variation", "setting", "verdict", "base_verdict", "changes_verdict"]
BASE_VARIATION = "as reported"
ROBUST_TEXT = "same verdict under every variation of the robustness table"


def robustness_table(base: pd.DataFrame, variations: list[tuple[str, str, pd.DataFrame]]) -> pd.DataFrame:
    """Table ``claims_robustness``: one row per claim and variation (the run itself first).

    ``base`` is the run's ledger; ``variations`` are (variation, setting, ledger) triples. A claim
    missing from a variation's ledger is an error: every rerun must judge every claim.
    """
    base_verdicts = base.set_index("claim_id")["verdict"]
    rows = [{"claim_id": claim, "variation": BASE_VARIATION, "setting": "the run's own parameters",
             "verdict": verdict, "base_verdict": verdict, "changes_verdict": False}
            for claim, verdict in base_verdicts.items()]
    for variation, setting, other in variations:
        verdicts = other.set_index("claim_id")["verdict"]
        missing = sorted(set(base_verdicts.index) - set(verdicts.index))
        if missing:
            raise ParameterError(f"robustness variation {variation!r} ({setting}) gives no verdict for {missing}")
        for claim, verdict in base_verdicts.items():
            rows.append({"claim_id": claim, "variation": variation, "setting": setting,
                         "verdict": verdicts[claim], "base_verdict": verdict,
                         "changes_verdict": bool(verdicts[claim] != verdict)})
    frame = pd.DataFrame(rows, columns=ROBUSTNESS_COLUMNS)
    order = {claim: i for i, claim in enumerate(sorted(base_verdicts.index))}
    frame = frame.assign(_claim=frame["claim_id"].map(order)).sort_values("_claim", kind="stable")
    return frame.drop(columns="_claim").reset_index(drop=True)


def apply_robustness(ledger: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The ledger with the robustness rules applied: ``verdict`` downgraded where "supported"
    does not survive the table, ``depends_on`` naming every variation that changes a verdict."""
    out = ledger.copy()
    depends, verdicts = [], []
    for claim, verdict in zip(out["claim_id"], out["verdict"]):
        changed = table[(table["claim_id"] == claim) & table["changes_verdict"]]
        names = [f"{r.variation}: {r.setting} -> {r.verdict}" for r in changed.itertuples()]
        if verdict == "supported" and names:
            verdicts.append("partly supported")
            depends.append("'supported' does not survive the robustness table; " + "; ".join(names))
        else:
            verdicts.append(verdict)
            depends.append("; ".join(names) if names else ROBUST_TEXT)
    return out.assign(verdict=verdicts, depends_on=depends)
