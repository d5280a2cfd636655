"""`brandrep new-case`: a researcher's own brand and platform, end to end (issue 16)."""

import csv
import shlex

import pytest

from brandrep.cleaning import clean
from brandrep.cleaning.build import REQUIRED_COLUMNS
from brandrep.cleaning.templates import run_commands
from brandrep.cli import main
from brandrep.errors import InputError

BRAND, PLATFORM = "zorblax", "blipcomplain"  # invented: in no alias table


def _header(path):
    with path.open(encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_templates_have_required_columns_and_pass_check(tmp_path, capsys):
    case = tmp_path / "case"
    assert main(["new-case", str(case), "--brand", BRAND, "--platform", PLATFORM]) == 0
    assert set(REQUIRED_COLUMNS["figures"]) <= set(_header(case / "raw/figures.csv"))
    assert set(REQUIRED_COLUMNS["complaints"]) <= set(_header(case / "raw/complaint_shares.csv"))
    readme = (case / "README.md").read_text(encoding="utf-8")
    assert "| `source_ids` | yes |" in readme and "brandrep run 01" in readme
    for name in ("figures.csv", "complaint_shares.csv"):
        assert main(["check", str(case / "raw" / name), "--strict"]) == 0
    assert main(["new-case", str(case)]) == 2  # never overwrites
    assert "already exists" in capsys.readouterr().err


def test_empty_template_fails_at_cleaning_naming_the_file(tmp_path):
    case = tmp_path / "case"
    main(["new-case", str(case), "--brand", BRAND, "--platform", PLATFORM])
    header = ",".join(_header(case / "raw/complaint_shares.csv"))
    (case / "raw/complaint_shares.csv").write_text(header + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="complaint_shares.csv.*no usable row"):
        clean(case / "raw/figures.csv", case / "raw/complaint_shares.csv")


@pytest.mark.slow
def test_invented_brand_runs_end_to_end(tmp_path, monkeypatch):
    case = tmp_path / "case"
    main(["new-case", str(case), "--brand", BRAND, "--platform", PLATFORM])
    with (case / "raw/complaint_shares.csv").open("a", encoding="utf-8") as handle:  # a third brand
        handle.write("blipcomplain,2024-12-31,third_brand,F01,R03,2024-01-01,home_appliances,,80,1000,\n")
    monkeypatch.chdir(tmp_path)
    for command in run_commands(case, BRAND, PLATFORM):
        argv = shlex.split(command)[1:] + ["--reports", str(tmp_path / "reports"), "--no-html", "--no-progress"]
        if "03" in argv:
            argv += ["-p", "n_simulations", "200"]
        assert main(argv) == 0
    ledger = (case / "data/processed/claims_ledger.md").read_text(encoding="utf-8")
    assert f"{BRAND}, {PLATFORM}" in ledger
    assert (case / "figures/claims_ledger_en.png").is_file()
    with (case / "figures/manifest.csv").open(encoding="utf-8") as handle:
        assert BRAND in handle.read()
