"""Number, unit, qualifier and date forms as Chinese sources write them (issue 3)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandrep.errors import InputError
from brandrep.numbers import chinese_to_int, parse_date, parse_quantity


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "unit"),
    [
        ("超过15.8万", 158000, "lower_bound", ""),
        ("超过3.7万", 37000, "lower_bound", ""),
        ("15.15%", 15.15, "exact", "%"),
        ("1747万套", 17470000, "exact", "套"),
        ("10.86亿元", 1_086_000_000, "exact", "元"),
        ("3亿", 300_000_000, "exact", ""),
        ("1.2万", 12000, "exact", ""),
        ("１２３，４５６", 123456, "exact", ""),
        ("１５．１５％", 15.15, "exact", "%"),
        ("1,312件", 1312, "exact", "件"),
        ("2.5‰", 2.5, "exact", "‰"),
        ("75.30萬套", 753000, "exact", "套"),
        ("突破700万件", 7_000_000, "lower_bound", "件"),
        ("逾5000台", 5000, "lower_bound", "台"),
        ("超680万台", 6_800_000, "lower_bound", "台"),
        ("500台以上", 500, "lower_bound", "台"),
        (">7000000", 7_000_000, "lower_bound", ""),
        ("约893万套", 8_930_000, "approximate", "套"),
        ("近64.7万件", 647000, "approximate", "件"),
        ("1000万台左右", 10_000_000, "approximate", "台"),
        ("不足6%", 6, "upper_bound", "%"),
        ("低于10条", 10, "upper_bound", "条"),
        ("300元以下", 300, "upper_bound", "元"),
        ("三千多", 3000, "lower_bound", ""),
        ("两百多项", 200, "lower_bound", "项"),
        ("200+", 200, "lower_bound", ""),
        ("-3%", -3, "exact", "%"),
        ("CNY365.9 billion", 365_900_000_000, "exact", "元"),
        ("RMB 80,107,740 thousand", 80_107_740_000, "exact", "元"),
        ("16.95 million units", 16_950_000, "exact", "units"),
        ("1900.38 亿元", 190_038_000_000, "exact", "元"),
        ("682.5元/套", 682.5, "exact", "元/套"),
        ("¥1,144", 1144, "exact", "元"),
        ("over 20%", 20, "lower_bound", "%"),
    ],
)
def test_number_forms(text, value, qualifier, unit):
    q = parse_quantity(text)
    assert q.value == pytest.approx(value, rel=0, abs=1e-9)
    assert q.qualifier == qualifier
    assert q.unit == unit


def test_lower_bound_has_no_upper_end_and_upper_bound_no_lower_end():
    low = parse_quantity("超过15.8万")
    assert (low.value_low, low.value_high) == (158000, None)
    high = parse_quantity("不足6%")
    assert (high.value_low, high.value_high) == (None, 6)
    exact = parse_quantity("726")
    assert (exact.value_low, exact.value_high) == (726, 726)


def test_decimal_scaling_is_exact():
    assert parse_quantity("10.86亿元").value == 1086000000.0
    assert parse_quantity("0.1万").value == 1000.0


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [("699-3299", 699, 3299, ""), ("699至3299元", 699, 3299, "元"), ("从699元至3299元", 699, 3299, "元"),
     ("699~3299元", 699, 3299, "元"), ("３-５万", 30000, 50000, ""), ("5000-2万", 5000, 20000, "")],
)
def test_ranges(text, low, high, unit):
    q = parse_quantity(text)
    assert q.qualifier == "range"
    assert q.value is None
    assert (q.value_low, q.value_high, q.unit) == (low, high, unit)


def test_stated_precision_is_kept():
    share = parse_quantity("15.15%")
    assert share.decimals == 2
    assert share.half_unit == Decimal("0.005")
    assert parse_quantity("15.8万").half_unit == Decimal("500")


def test_unit_column_fills_in_and_must_agree():
    assert parse_quantity("726", unit="件").unit == "件"
    assert parse_quantity("15.15", unit="percent").unit == "%"
    with pytest.raises(InputError, match="contradicts"):
        parse_quantity("726台", unit="%")


@pytest.mark.parametrize(
    ("text", "message"),
    [("5 apples", "unknown unit 'apples'"), ("abc", "no number"), ("", "empty"), ("1,31", "malformed"),
     ("12.3.4", "malformed"), ("3299-699", "backwards"), ("超过5以下", "contradictory"),
     ("699元-3299台", "different units")],
)
def test_bad_numbers_raise_input_error_naming_the_text(text, message):
    with pytest.raises(InputError, match=message):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "number"),
    [("三千", 3000), ("十", 10), ("十五", 15), ("二十", 20), ("一百零五", 105), ("一万二千", 12000),
     ("三千五百万", 35_000_000), ("一亿三千万", 130_000_000), ("二〇二四", 2024), ("三万亿", 3 * 10**12)],
)
def test_chinese_numerals(text, number):
    assert chinese_to_int(text) == number


# ---------------------------------------------------------------- properties

@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_and_full_width_read_the_same(n):
    plain = parse_quantity(str(n)).value
    assert parse_quantity(f"{n:,}").value == plain == n
    full_width = f"{n:,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    assert parse_quantity(full_width).value == n


@given(st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from([("万", 10**4), ("亿", 10**8), ("千", 10**3)]))
def test_scale_words_multiply_exactly(number, scale):
    word, factor = scale
    assert parse_quantity(f"{number}{word}").value == float(number * factor)


@given(st.integers(min_value=1, max_value=10**9),
       st.sampled_from(["超过", "突破", "逾", "超", "约", "近", "不足", "低于"]))
def test_qualifier_words_keep_the_value(n, word):
    q = parse_quantity(f"{word}{n}件")
    assert q.value == n
    assert q.qualifier != "exact"
    assert q.unit == "件"


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_ranges_are_ordered(a, b):
    low, high = sorted((a, b))
    q = parse_quantity(f"{low}至{high}元")
    assert (q.value_low, q.value_high) == (low, high)


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "qualifier"),
    [("2024年12月9日", "2024-12-09", "2024-12-09", "day", "exact"),
     ("2024-12-09", "2024-12-09", "2024-12-09", "day", "exact"),
     ("2024/12/9", "2024-12-09", "2024-12-09", "day", "exact"),
     ("２０２４年１２月９日", "2024-12-09", "2024-12-09", "day", "exact"),
     ("2024年12月", "2024-12-01", "2024-12-31", "month", "exact"),
     ("2024-02", "2024-02-01", "2024-02-29", "month", "exact"),
     ("2024-12 (approx, before 2024-12-26)", "2024-12-01", "2024-12-31", "month", "approximate"),
     ("2023 (H2)", "2023-07-01", "2023-12-31", "half", "exact"),
     ("2024年上半年", "2024-01-01", "2024-06-30", "half", "exact"),
     ("2025Q1", "2025-01-01", "2025-03-31", "quarter", "exact"),
     ("2024", "2024-01-01", "2024-12-31", "year", "exact"),
     ("2019-2020", "2019-01-01", "2020-12-31", "year", "exact")],
)
def test_date_forms(text, start, end, precision, qualifier):
    d = parse_date(text)
    assert (d.start.isoformat(), d.end.isoformat(), d.precision, d.qualifier) == (start, end, precision, qualifier)


def test_date_iso_keeps_written_precision():
    assert parse_date("2024年12月9日").iso() == "2024-12-09"
    assert parse_date("2024年12月").iso() == "2024-12"
    assert parse_date("2024").iso() == "2024"


@pytest.mark.parametrize("text", ["2024-13-01", "2024-02-30", "yesterday", "", "12/9/2024"])
def test_bad_dates_raise(text):
    with pytest.raises(InputError):
        parse_date(text)


@pytest.mark.parametrize(("text", "unit", "value", "written_unit"),
                         [("10307", "亿元", 1_030_700_000_000, "元"), ("9652", "万台", 96_520_000, "台"),
                          ("超过15.8", "万条", 158_000, "条"), ("1.5亿元", "亿元", 150_000_000, "元"),
                          ("699-3299", "元", None, "元")])
def test_a_scaled_unit_column_scales_bare_numbers(text, unit, value, written_unit):
    q = parse_quantity(text, unit=unit)
    assert q.value == value and q.unit == written_unit


def test_unicode_minus_sign():
    assert parse_quantity("\u22123%").value == -3


@pytest.mark.parametrize("text", ["¥5 apples", "$5", "USD 5"])
def test_other_currencies_and_trailing_words_are_unknown(text):
    with pytest.raises(InputError):
        parse_quantity(text)


def test_price_per_unit_in_english():
    assert parse_quantity("CNY 682.5 per unit").unit == "元/件"
