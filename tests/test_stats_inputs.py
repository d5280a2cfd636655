"""Reading notebook 01's tables for the claim test: checks, window counts, exposure shares."""

import pandas as pd
import pytest

from brandrep.errors import InputError
from brandrep.stats import inputs
from stats_case import case_complaints, case_denominators, write


@pytest.fixture
def tables(tmp_path):
    return (inputs.read_complaints(write(case_complaints(), tmp_path / "complaints.parquet")),
            inputs.read_denominators(write(case_denominators(), tmp_path / "denominators.csv")))


def test_window_counts_and_comparison_period(tables):
    complaints, _ = tables
    window = inputs.window_counts(complaints, platform="消费保", start="2024-10-14", end="2024-11-11")
    assert window.to_dict("records") == [{"brand": "xiaomi", "complaints": 110, "total": 726, "rests_on_bound": False}]
    year = inputs.window_counts(complaints, platform="消费保", start="2024-01-01", end="2024-12-31")
    assert list(year["brand"]) == ["xiaomi", "midea", "gree"] and set(year["total"]) == {8308}


def test_count_is_recovered_from_share_when_missing(tables):
    complaints, _ = tables
    complaints.loc[0, ["complaints", "complaints_low", "complaints_high"]] = None
    window = inputs.window_counts(complaints, platform="消费保", start="2024-10-14", end="2024-11-11")
    assert window.loc[0, "complaints"] == 110


def test_rivals_known_only_as_bounds_have_no_count(tables):
    complaints, _ = tables
    window = inputs.window_counts(complaints, platform="消费保", start="2024-10-14", end="2024-11-11")
    assert list(window["brand"]) == ["xiaomi"]


def test_exposure_candidates_follow_the_rules(tables):
    _, denominators = tables
    candidates = inputs.exposure_candidates(denominators, "xiaomi", start="2024-10-14", end="2024-11-11",
                                            category="home_appliances").set_index("exposure_measure")
    assert candidates.loc["retail_share:air_conditioner", "exposure_share"] == pytest.approx(0.1128)
    assert candidates.loc["retail_share:air_conditioner", "exposure_share_high"] == pytest.approx(0.1195)
    # 台 over 台, two market series as the range, the smaller (domestic) market as point
    ac = candidates.loc["shipments/market_volume:air_conditioner"]
    assert ac["exposure_share"] == pytest.approx(680 / 9652) and ac["rests_on_bound"]
    assert ac["exposure_share_low"] == pytest.approx(680 / 18977)
    # 套 volume over the 2024 market series; the forecast is no measurement
    locks = candidates.loc["odm_volume/market_volume:smart_lock"]
    assert locks["exposure_share"] == pytest.approx(885666 / 17470000)
    assert locks["exposure_share_low"] == pytest.approx(885666 / 22500000)
    # the IoT segment, not group revenue with phones, over national appliance retail sales
    revenue = candidates.loc["revenue/market_volume:iot_lifestyle"]
    assert revenue["exposure_share"] == pytest.approx(1041 / 10307) and "scopes differ" in revenue["basis"]
    # a cumulative stock has no market stock to divide by
    assert not any("installed_base" in m for m in candidates.index)


def test_candidates_keep_to_the_period(tables):
    _, denominators = tables
    later = inputs.exposure_candidates(denominators, "gree", start="2025-07-01", end="2025-07-31")
    assert list(later["exposure_share"]) == [pytest.approx(0.17)]
    assert inputs.exposure_candidates(denominators, "xiaomi", start="2022-01-01", end="2022-12-31").empty


def test_cross_sections(tables):
    complaints, denominators = tables
    year = inputs.window_counts(complaints, platform="消费保", start="2024-01-01", end="2024-12-31")
    revenue = inputs.cross_section(year, denominators, "revenue", start="2024-01-01", end="2024-12-31",
                                   category="home_appliances").set_index("brand")
    assert list(revenue.index) == ["gree", "midea", "xiaomi"]
    assert revenue.loc["midea", "value"] == pytest.approx(2.6953e11)  # the home-appliance segment
    assert revenue.loc["xiaomi", "value"] == pytest.approx(1.041e11)  # the smallest segment
    shares = inputs.cross_section(year, denominators, "retail_share", start="2024-01-01",
                                  end="2024-12-31").set_index("brand")
    assert shares.loc["gree", "value"] == pytest.approx(0.254)  # 2024, not the 2025 month
    assert set(shares["measure"]) == {"retail_share:air_conditioner"}


@pytest.mark.parametrize(
    "column, value, words",
    [("share_pct", 150.0, ["row 2", "share_pct", "0-100"]),
     ("complaints", 800, ["row 2", "complaints", "exceed"]),
     ("total", 0, ["row 2", "total", "zero or missing"])],
)
def test_bad_complaint_rows_are_named(tmp_path, column, value, words):
    frame = case_complaints()
    frame.loc[0, column] = value
    with pytest.raises(InputError) as info:
        inputs.read_complaints(write(frame, tmp_path / "c.csv"))
    for word in words + ["c.csv"]:
        assert word in str(info.value)


def test_bad_denominator_and_missing_column(tmp_path):
    frame = case_denominators()
    frame.loc[2, "value"] = 0
    with pytest.raises(InputError, match=r"row 4.*'value'"):
        inputs.read_denominators(write(frame, tmp_path / "d.csv"))
    with pytest.raises(InputError, match=r"column 'measure': required column 'measure' not found"):
        inputs.read_denominators(write(case_denominators().drop(columns="measure"), tmp_path / "e.csv"))
    with pytest.raises(InputError, match="run notebook 01"):
        inputs.read_complaints(tmp_path / "absent.parquet")


def test_a_cell_that_is_not_a_number_is_named(tmp_path):
    frame = case_complaints().astype({"total": "object"})
    frame.loc[3, "total"] = "eight thousand"
    with pytest.raises(InputError, match=r"row 5, column 'total': 'eight thousand' is not a number"):
        inputs.read_complaints(write(frame, tmp_path / "c.csv"))
