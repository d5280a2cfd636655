"""Notebook 03 runs end to end on another brand and platform, and stops early on bad input."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from brandrep.kernel import KERNEL_NAME
from conftest import PROJECT_ROOT
from stats_case import second_case_complaints, second_case_denominators, write

NOTEBOOK = PROJECT_ROOT / "notebooks" / "03_claim_test.ipynb"
OUTPUTS = ("claim_shares", "funnel_points", "funnel_limits", "tipping_point", "exposure_markers", "r_simulation",
           "claims_ledger")
SECOND_CASE = dict(brand="acme", platform="DemoPlatform", window_start="2025-03-01", window_end="2025-03-31",
                   comparison_start="2025-01-01", comparison_end="2025-06-30", seed=3, n_simulations=500)


def _execute(tmp_path, monkeypatch, parameters):
    import papermill

    monkeypatch.setenv("BRANDREP_OUTPUT_ROOT", str(tmp_path / "out"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    executed = tmp_path / "executed.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(executed), parameters=parameters, kernel_name=KERNEL_NAME,
                               progress_bar=False, cwd=str(NOTEBOOK.parent))
    return executed


@pytest.mark.slow
def test_notebook_runs_a_second_brand_case(tmp_path, monkeypatch):
    complaints = write(second_case_complaints(), tmp_path / "demo_complaints.csv")
    denominators = write(second_case_denominators(), tmp_path / "demo_denominators.parquet")
    _execute(tmp_path, monkeypatch, {**SECOND_CASE, "complaints_path": complaints, "denominators_path": denominators})
    processed = tmp_path / "out" / "data" / "processed"
    for name in OUTPUTS:
        assert (processed / f"{name}.parquet").is_file() and (processed / f"{name}.csv").is_file(), name
    ledger = pd.read_parquet(processed / "claims_ledger.parquet").set_index("claim_id")
    # rivals' window counts are known here: acme 40 vs bolt 35 of 300 is top but not separated
    assert ledger.loc["C1", "verdict"] == "partly supported"
    assert ledger.loc["C1", "estimate"] == pytest.approx(40 / 300)
    assert "acme" in ledger.loc["C2", "claim"]
    shares = pd.read_parquet(processed / "claim_shares.parquet")
    assert set(shares["platform"]) == {"DemoPlatform"} and "acme" in set(shares["brand"])
    assert len(pd.read_parquet(processed / "r_simulation.parquet")) == 500
    markdown = (processed / "claims_ledger.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Claims ledger: acme, DemoPlatform")


@pytest.mark.slow
def test_notebook_stops_before_any_chart_on_a_share_above_100(tmp_path, monkeypatch):
    from papermill.exceptions import PapermillExecutionError

    complaints = second_case_complaints()
    complaints.loc[0, "share_pct"] = 133.3
    path = write(complaints, tmp_path / "bad.csv")
    denominators = write(second_case_denominators(), tmp_path / "d.parquet")
    with pytest.raises(PapermillExecutionError) as info:
        _execute(tmp_path, monkeypatch, {**SECOND_CASE, "complaints_path": path, "denominators_path": denominators})
    assert "InputError" in str(info.value) and "share_pct" in str(info.value) and "row 2" in str(info.value)
    executed = nbformat.read(tmp_path / "executed.ipynb", as_version=4)
    images = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert images == []
    assert not (tmp_path / "out" / "data" / "processed" / "claims_ledger.parquet").exists()
