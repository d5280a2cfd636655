"""`brandrep new-case` then `brandrep run --case`: a researcher's own brand and platform, end to end (issue 16)."""

import csv
import json

import matplotlib.text
import pytest

from brandrep.cleaning import clean
from brandrep.cleaning.build import REQUIRED_COLUMNS, check_file
from brandrep.cleaning.templates import CASE_MARKER, read_case
from brandrep.cli import main
from brandrep.errors import InputError

BRAND, PLATFORM = "zorblax", "blipcomplain"  # invented: in no alias table of the package
FAST = ["--no-html", "--no-progress"]


def _header(path):
    with path.open(encoding="utf-8") as handle:
        return next(csv.reader(handle))


def _new_case(tmp_path):
    case = tmp_path / "case"
    assert main(["new-case", str(case), "--brand", BRAND, "--platform", PLATFORM]) == 0
    return case


def _write_rows(path, rows):
    """Replace a template's example rows with ``rows`` (dicts of some of its columns)."""
    header = _header(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)


def _edit(path, line, column, value):
    """Set one cell (``line`` as in the file, the header is line 1)."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _fill(case):
    """A few sourced-looking rows for three invented brands: complaints, sales, a market total."""
    period = {"period_start": "2024-01-01", "period_end": "2024-12-31", "source_name": "Invented Research",
              "confidence": "medium", "kind": "reported", "category": "home_appliances"}
    sales = {"metric": "shipments", "measure": "shipments", "scope": "mainland China", "basis": "company report"}
    _write_rows(case / "raw/figures.csv", [
        dict(period, figure_id="C01", metric="complaint_total", entity="all complaints", platform=PLATFORM,
             raw_value="2000", unit="件"),
        dict(period, **sales, figure_id="S01", entity="zorblax shipments", brand="Zorblax", raw_value="300万台"),
        dict(period, **sales, figure_id="S02", entity="peer shipments", brand="peer_brand", raw_value="500万台"),
        dict(period, **sales, figure_id="S03", entity="third shipments", brand="third_brand", raw_value="400万台"),
        dict(period, figure_id="M01", metric="market_volume", measure="market_volume", entity="market",
             raw_value="4000万台", scope="mainland China", basis="industry association"),
    ])
    complaint = {"platform": PLATFORM, "period_start": "2024-01-01", "period_end": "2024-12-31",
                 "category": "home_appliances", "total": "2000", "source_ids": "C01"}
    _write_rows(case / "raw/complaint_shares.csv", [
        dict(complaint, record_id="R01", brand="Zorblax", count="260"),
        dict(complaint, record_id="R02", brand="peer_brand", share="12.50%"),
        dict(complaint, record_id="R03", brand="third_brand", count="170"),
    ])
    with (case / "raw/brand_aliases.csv").open("a", encoding="utf-8") as handle:
        handle.write("Zorblax,zorblax,佐布拉克,Zorblax,\nthird_brand,third_brand,第三品牌,Third Brand,\n")


def test_templates_have_required_columns_and_pass_check(tmp_path, capsys):
    case = _new_case(tmp_path)
    assert set(REQUIRED_COLUMNS["figures"]) <= set(_header(case / "raw/figures.csv"))
    assert set(REQUIRED_COLUMNS["complaints"]) <= set(_header(case / "raw/complaint_shares.csv"))
    readme = (case / "README.md").read_text(encoding="utf-8")
    assert "| `source_ids` | yes |" in readme and f"brandrep run --case {case}" in readme
    settings = json.loads((case / CASE_MARKER).read_text(encoding="utf-8"))
    assert settings["brand"] == BRAND and settings["window_start"] and settings["comparison_end"]
    for name in ("figures.csv", "complaint_shares.csv"):
        assert main(["check", str(case / "raw" / name), "--strict"]) == 0
    assert main(["new-case", str(case)]) == 2  # never overwrites
    assert "already exists" in capsys.readouterr().err


def test_case_parameters_resolve_the_two_complaints_paths(tmp_path):
    """01 reads the case's raw file; 03 gets no complaints_path, so it reads 01's table in the case."""
    from brandrep import suite

    case = read_case(_new_case(tmp_path))
    notebooks = [suite.resolve_notebook(n) for n in ("01", "03", "04")]
    parameters = suite.parameters_for(notebooks, case.parameters())
    first, third, fourth = (parameters[nb] for nb in notebooks)
    assert first == {"figures_path": str(case.figures_path), "complaints_path": str(case.complaints_path)}
    assert "complaints_path" not in third and third["brand"] == BRAND and third["platform"] == PLATFORM
    assert fourth["brand"] == BRAND and "claims_ledger" in fourth["charts_to_build"]
    with pytest.raises(suite.ParameterError, match="01:complaints_path"):
        suite.parameters_for(notebooks, [("complaints_path", "mine.csv")])
    qualified = suite.parameters_for(notebooks, [("03:complaints_path", "mine.parquet")])
    assert qualified[notebooks[1]] == {"complaints_path": "mine.parquet"} and qualified[notebooks[0]] == {}
    with pytest.raises(suite.ParameterError, match="not in this run"):
        suite.parameters_for(notebooks, [("02:seed", "1")])


def test_empty_template_fails_at_cleaning_naming_the_file(tmp_path):
    case = _new_case(tmp_path)
    _write_rows(case / "raw/complaint_shares.csv", [])
    with pytest.raises(InputError, match="complaint_shares.csv.*no usable row"):
        clean(case / "raw/figures.csv", case / "raw/complaint_shares.csv")


@pytest.mark.slow
def test_empty_template_stops_run_case_at_notebook_01_naming_the_file(tmp_path, capsys):
    case = _new_case(tmp_path)
    _write_rows(case / "raw/complaint_shares.csv", [])
    assert main(["run", "--case", str(case), *FAST]) == 2
    err = capsys.readouterr().err
    assert "notebook 01_clean_data.ipynb failed" in err and "complaint_shares.csv" in err and "no usable row" in err
    assert not (case / "data/processed/complaints.parquet").exists()


@pytest.mark.parametrize("file, line, column, value, column_named, fix", [
    # a required column renamed
    ("complaint_shares.csv", 1, "source_ids", "source_id", "source_ids", "rename"),
    # an optional column renamed: it would read as empty and lose every denominator
    ("figures.csv", 1, "measure", "measures", "measures", "did you mean 'measure'"),
    # a share above 100%
    ("complaint_shares.csv", 3, "share", "151.5%", "share", "between 0% and 100%"),
    # shares of one platform and period adding up to more than 100% (row 2 holds 120 of 1000, 12%)
    ("complaint_shares.csv", 3, "share;count", "95%;", "share", "above 100%"),  # names row 2, the group's first
    # a denominator in an unknown unit
    ("figures.csv", 3, "raw_value", "300万盒", "raw_value", "unit"),
    # a denominator with no unit at all: it would never match a market total
    ("figures.csv", 3, "raw_value", "3000000", "raw_value", "count unit"),
    # a brand missing from every alias table (a typo of the case's brand)
    ("complaint_shares.csv", 2, "brand", "Zorblx", "brand", "brand_aliases.csv"),
])
def test_bad_input_stops_run_case_with_file_row_and_column(tmp_path, capsys, file, line, column, value,
                                                           column_named, fix):
    case = _new_case(tmp_path)
    for one_column, one_value in zip(column.split(";"), value.split(";")):
        _edit(case / "raw" / file, line, one_column, one_value)
    assert main(["run", "--case", str(case), *FAST]) == 2  # before any kernel starts
    err = capsys.readouterr().err
    row_named = 2 if "above 100%" in fix else line  # every row of the group is rejected; the first is named
    assert file in err and f"row {row_named}," in err and f"column {column_named!r}" in err, err
    assert fix in err, err
    assert not (case / "data").exists() and not (case / "reports").exists()


def test_unitless_denominator_is_rejected_by_check(tmp_path):
    case = _new_case(tmp_path)
    _edit(case / "raw/figures.csv", 3, "raw_value", "3000000")
    rejects = check_file(case / "raw/figures.csv").rejects
    assert list(rejects["column"]) == ["raw_value"] and "needs a unit" in rejects["reason"].iloc[0]


@pytest.mark.slow
def test_invented_brand_runs_end_to_end(tmp_path, capsys):
    case = _new_case(tmp_path)
    _fill(case)
    # fewer draws and charts than a real case, to keep the test short; -p overrides the case
    assert main(["run", "--case", str(case), "-p", "n_simulations", "200",
                 "-p", "04:charts_to_build", "claims_ledger,share_vs_share", *FAST]) == 0
    ledger = (case / "data/processed/claims_ledger.md").read_text(encoding="utf-8")
    assert f"{BRAND}, {PLATFORM}" in ledger and "| C2:" in ledger
    for chart in ("claims_ledger", "share_vs_share"):
        assert (case / f"figures/{chart}_en.png").is_file(), chart
    with (case / "figures/manifest.csv").open(encoding="utf-8-sig") as handle:
        ledger_chart = next(row for row in csv.DictReader(handle) if row["chart"] == "claims_ledger")
    # the brand by the names _fill gives it in the case's alias table, not by its key
    assert ledger_chart["title_zh"].startswith("佐布拉克") and ledger_chart["title_en"].startswith("Zorblax:")
    # nothing of the checkout's own (Xiaomi) outputs came along: no sentiment charts, no Xiaomi tables
    assert not list((case / "figures").glob("sentiment_by_brand*"))
    assert not (case / "data/processed/complaint_scores.parquet").exists()
    assert "xiaomi" not in (case / "data/processed/claim_shares.csv").read_text(encoding="utf-8-sig")
    assert (case / "reports/04_charts.ipynb").is_file()


def test_charts_name_a_case_brand_from_the_case_alias_table(tmp_path, monkeypatch):
    """A brand the strings table does not know is named on charts by the case's own alias table,
    in the chart's language (issue 16: the charts showed the key ``zorblax``)."""
    from brandrep import charts
    from brandrep.brands import EXTRA_ALIASES_ENV
    from brandrep.charts import examples
    from brandrep.charts.strings import value_label

    case = _new_case(tmp_path)
    with (case / "raw/brand_aliases.csv").open("a", encoding="utf-8") as handle:
        handle.write("Zorblax,zorblax,佐布拉克,Zorblax Home,\n")  # a spelling row after the template's own
    monkeypatch.setenv(EXTRA_ALIASES_ENV, str(case / "raw/brand_aliases.csv"))
    assert value_label("brand", BRAND, "zh") == "佐布拉克"
    assert value_label("brand", BRAND, "en") == "Zorblax Home"
    assert value_label("brand", "xiaomi", "zh") == "小米"  # the strings table still comes first
    assert value_label("brand", "nobrand", "en") == "nobrand"  # in neither table: shown as written

    shares = examples.claim_shares().replace({"brand": {"xiaomi": BRAND}})
    for lang, name in (("zh", "佐布拉克"), ("en", "Zorblax Home")):
        fig = charts.share_vs_share(shares, lang=lang, highlight=BRAND)
        texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        assert any(name in t for t in texts), (lang, texts)
        assert not [t for t in texts if BRAND in t], lang
