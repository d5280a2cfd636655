"""Cleaning: reconciliation, qualifiers through to processed tables, rejects and accounting (issue 3)."""

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandrep.cleaning import build, clean, counts_for_share
from brandrep.cleaning.reconcile import CountRange, as_count
from brandrep.errors import InputError
from brandrep.numbers import parse_quantity
from brandrep.paths import RAW_DIR


@pytest.fixture(scope="module")
def result():
    return clean()


def _row(table, **where):
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    rows = table[mask]
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return rows.iloc[0]


# ---------------------------------------------------------------- reconciliation

def test_xiaomi_double11_count_is_derived_from_the_raw_strings():
    raw = pd.read_csv(RAW_DIR / "complaint_shares.csv", dtype=str, keep_default_na=False)
    written = raw[(raw["brand"] == "小米") & (raw["period_start"] == "2024-10-14")].iloc[0]
    assert (written["share"], written["total"]) == ("15.15%", "726")
    total = as_count(parse_quantity(written["total"]), "total")
    assert counts_for_share(parse_quantity(written["share"]), total) == CountRange(110, 110)


def test_processed_complaints_hold_the_xiaomi_double11_row(result):
    row = _row(result.tables["complaints"], brand="xiaomi", platform="消费保", period_start="2024-10-14",
               period_end="2024-11-11")
    assert row["share_pct"] == 15.15
    assert row["total"] == 726
    assert row["complaints"] == 110
    assert (row["complaints_low"], row["complaints_high"]) == (110, 110)
    assert row["qualifier"] == "exact"


@pytest.mark.parametrize(("brand", "count"), [("xiaomi", 1312), ("midea", 652), ("gree", 472)])
def test_full_year_2024_rows(result, brand, count):
    row = _row(result.tables["complaints"], brand=brand, platform="消费保", period_start="2024-01-01",
               period_end="2024-12-31")
    assert row["complaints"] == count
    assert row["total"] == 8308
    assert row["share_pct"] == pytest.approx(100 * count / 8308)


def test_coarse_share_gives_a_set_of_counts():
    # 14.31% of 25,248: three whole numbers round to 14.31
    assert counts_for_share(parse_quantity("14.31%"), 25248) == CountRange(3612, 3614)
    assert counts_for_share(parse_quantity("14.31%"), 25248).unique is None


def test_share_bounds_become_count_bounds():
    assert counts_for_share(parse_quantity("<15.15%"), 726) == CountRange(0, 109)
    assert counts_for_share(parse_quantity("超过20%"), 100) == CountRange(20, 100)
    assert counts_for_share(parse_quantity("1.5‰"), 2000) == CountRange(3, 3)


@pytest.mark.parametrize(("share", "total", "message"),
                         [("15.16%", 726, "no whole number"), ("101%", 726, "impossible share"),
                          ("-1%", 726, "impossible share"), ("15%", 0, "positive"), ("15件", 726, "% or ‰")])
def test_impossible_shares_raise(share, total, message):
    with pytest.raises(InputError, match=message):
        counts_for_share(parse_quantity(share), total)


@given(st.integers(min_value=1, max_value=100_000), st.data(), st.integers(min_value=0, max_value=3))
def test_a_rounded_share_always_reproduces_its_count(total, data, decimals):
    count = data.draw(st.integers(min_value=0, max_value=total))
    quantum = Decimal(1).scaleb(-decimals)
    share = (Decimal(count) * 100 / Decimal(total)).quantize(quantum, rounding=ROUND_HALF_UP)
    counts = counts_for_share(parse_quantity(f"{share}%"), total)
    assert counts.low <= count <= counts.high


# ---------------------------------------------------------------- qualifiers survive

def test_lower_bounds_stay_lower_bounds(result, tmp_path):
    figures = result.tables["figures"].set_index("figure_id")
    for figure_id, value in (("S03", 158000), ("S04", 37000), ("S05", 7_000_000)):
        assert figures.at[figure_id, "qualifier"] == "lower_bound"
        assert figures.at[figure_id, "value"] == value
        assert pd.isna(figures.at[figure_id, "value_high"])
    keyword = _row(result.tables["complaints"], platform="黑猫投诉", category="keyword_search")
    assert keyword["qualifier"] == "lower_bound" and pd.isna(keyword["complaints_high"])
    stock = _row(result.tables["denominators"], source_ids="S05")
    assert (stock["measure"], stock["qualifier"]) == ("installed_base", "lower_bound")

    build(out_dir=tmp_path)  # and through the written files
    for suffix, reader in ((".csv", lambda p: pd.read_csv(p, encoding="utf-8-sig")), (".parquet", pd.read_parquet)):
        written = reader(tmp_path / f"figures{suffix}").set_index("figure_id")
        assert written.at["S03", "qualifier"] == "lower_bound"
        assert written.at["S03", "raw_value"] == "超过15.8万"
        assert pd.isna(written.at["S03", "value_high"])


def test_forecasts_are_marked(result):
    figures = result.tables["figures"].set_index("figure_id")
    assert figures.at["L05", "qualifier"] == "forecast"
    assert figures.at["L17", "value_low"] == 25_000_000 and pd.isna(figures.at["L17", "value_high"])


def test_written_values_keep_the_source_form(result):
    figures = result.tables["figures"].set_index("figure_id")
    assert figures.at["S02", "raw_value"] == "15.15%"
    assert figures.at["L06", "raw_value"] == "1747万套" and figures.at["L06", "unit"] == "套"
    assert figures.at["X09b", "raw_value"] == "10.86亿元" and figures.at["X09b", "value"] == 1.086e9


# ---------------------------------------------------------------- outputs

def test_outputs_rejects_header_accounting_and_determinism(tmp_path, capsys):
    first, second = tmp_path / "a", tmp_path / "b"
    result = build(out_dir=first)
    printed = capsys.readouterr().out
    assert "rows read 114 = accepted 114 + rejected 0 + duplicates 0" in printed
    build(out_dir=second)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted([f"{t}.{s}" for t in ("figures", "complaints", "denominators", "rejects")
                            for s in ("csv", "parquet")] + ["datapackage.json"])
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    header = (first / "rejects.csv").read_bytes()
    assert header == "\ufefffile,line,column,reason,raw\n".encode("utf-8")  # empty, but with its header
    for acc in result.accounting.values():
        assert acc.read == acc.accepted + acc.rejected + acc.duplicates


def test_datapackage_describes_every_column(tmp_path):
    import frictionless

    result = build(out_dir=tmp_path)
    package = frictionless.Package(str(tmp_path / "datapackage.json"))
    for name, table in result.tables.items():
        resource = package.get_resource(name)
        assert [f.name for f in resource.schema.fields] == list(table.columns)
        assert all(f.description for f in resource.schema.fields)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_input_paths_relative_to_the_project_are_found(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # as a notebook kernel running in another folder
    result = clean(complaints_path="data/raw/complaint_shares.csv")
    assert "data/raw/complaint_shares.csv" in result.accounting


def test_a_researchers_file_for_another_platform(tmp_path):
    from brandrep.cleaning import complaints_from

    path = tmp_path / "heimao.csv"
    path.write_text("platform,period_start,period_end,brand,share,count,total,source_ids\n"
                    "黑猫投诉,2025-01-01,2025-03-31,美的,12.5%,,400,my-scrape\n"
                    "黑猫投诉,2025-01-01,2025-03-31,Haier,,37,400,my-scrape\n", encoding="utf-8")
    table = complaints_from(path)
    assert list(table["brand"]) == ["haier", "midea"]
    assert list(table["complaints"]) == [37, 50]
