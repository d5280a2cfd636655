"""Hand-made complaints and denominators tables in the contract schema, for the stats tests.

The figures are the case's public numbers (消费保 window and 2024 full year, 2024 revenues and
AC retail shares); a second, made-up platform case checks that the notebook runs another brand.
"""

from __future__ import annotations

import pandas as pd

COMPLAINT_COLUMNS = ["platform", "period_start", "period_end", "category", "brand", "brand_raw", "complaints",
                     "complaints_low", "complaints_high", "share_pct", "total", "qualifier", "source_ids"]
DENOMINATOR_COLUMNS = ["brand", "measure", "category", "value", "value_low", "value_high", "qualifier", "unit",
                       "basis", "scope", "period_start", "period_end", "source_ids", "confidence"]


def _complaints(rows):
    frame = pd.DataFrame(rows, columns=COMPLAINT_COLUMNS)
    for column in ("complaints", "complaints_low", "complaints_high", "total"):
        frame[column] = frame[column].astype("Int64")
    return frame


def case_complaints() -> pd.DataFrame:
    w = ("消费保", "2024-10-14", "2024-11-11", "home_appliance")
    y = ("消费保", "2024-01-01", "2024-12-31", "home_appliance")
    return _complaints([
        (*w, "xiaomi", "小米", 110, 110, 110, 15.15, 726, "exact", "S01;S02"),
        # rivals ranked below the leader: only an upper bound, which comes from the ranking itself
        (*w, "midea", "美的", None, 0, 109, 15.15, 726, "upper_bound", "S01;S02"),
        (*w, "gree", "格力", None, 0, 109, 15.15, 726, "upper_bound", "S01;S02"),
        (*y, "xiaomi", "小米", 1312, 1312, 1312, 15.8, 8308, "exact", "C01;C02"),
        (*y, "midea", "美的", 652, 652, 652, 7.8, 8308, "exact", "C01;C03"),
        (*y, "gree", "格力", 472, 472, 472, 5.7, 8308, "exact", "C01;C04"),
        ("黑猫投诉", None, "2024-12-26", "all", "xiaomi", "小米", 158000, 158000, None, None, None, "lower_bound", "S03"),
        ("黑猫投诉", None, "2024-12-26", "after_sales", "xiaomi", "小米售后", 37000, 37000, None, None, None,
         "lower_bound", "S04"),
    ])


def case_denominators() -> pd.DataFrame:
    """Encoded as notebook 01 writes them: values in 元 and 台/套, several series, forecasts."""
    y24, y23 = ("2024-01-01", "2024-12-31"), ("2023-01-01", "2023-12-31")
    rows = [
        ("xiaomi", "revenue", "iot_lifestyle", 1.041e11, None, None, "exact", "元", "revenue", "global", *y24, "A02", "high"),
        ("xiaomi", "revenue", "all_products", 3.659e11, None, None, "exact", "元", "revenue", "global", *y24, "A01", "high"),
        ("midea", "revenue", "home_appliances", 2.6953e11, None, None, "exact", "元", "revenue", "global", *y24, "A11", "high"),
        ("midea", "revenue", "all_products", 2.3812e11, None, None, "exact", "元", "revenue", "China", *y24, "A12", "medium"),
        ("gree", "revenue", "all_products", 1.9004e11, None, None, "exact", "元", "revenue", "global", *y24, "A13", "high"),
        ("xiaomi", "retail_share", "air_conditioner", 11.28, 11.28, 11.95, "range", "%", "online retail value", "China online", *y24, "A18", "low"),
        ("midea", "retail_share", "air_conditioner", 33.2, None, None, "exact", "%", "online retail value", "China online", *y24, "A16", "medium"),
        ("gree", "retail_share", "air_conditioner", 25.40, None, None, "exact", "%", "online retail value", "China online", *y24, "A17", "medium"),
        ("gree", "retail_share", "air_conditioner", 17.0, None, None, "exact", "%", "all channels", "one month", "2025-07-01", "2025-07-31", "A20", "medium"),
        ("xiaomi", "shipments", "air_conditioner", 6800000.0, 6800000.0, None, "lower_bound", "台", "shipments", "may include exports", *y24, "A04", "high"),
        ("xiaomi", "shipments", "air_conditioner", 4400000.0, None, None, "exact", "units", "shipments", "global", *y23, "A07", "medium"),
        ("all", "market_volume", "air_conditioner", 96520000.0, None, None, "exact", "台", "domestic sales", "China", *y24, "A19a", "medium"),
        ("all", "market_volume", "air_conditioner", 189770000.0, None, None, "exact", "台", "incl. exports", "China-made", *y24, "A19b", "medium"),
        ("all", "market_volume", "home_appliances_av", 1.0307e12, None, None, "exact", "元", "retail sales", "China", *y24, "A21", "high"),
        ("xiaomi", "installed_base", "smart_lock", 7000000.0, 7000000.0, None, "lower_bound", "件", "cumulative shipments", "all years", None, "2024-12-09", "S05", "medium"),
        ("xiaomi", "odm_volume", "smart_lock", 885666.0, None, None, "estimate", "套", "derived", "floor", *y24, "X03;X06b", "medium"),
        ("lockin", "odm_volume", "smart_lock", 914000.0, None, None, "exact", "套", "ODM units sold", "mostly for Xiaomi", *y24, "X03", "medium"),
        ("all", "market_volume", "smart_lock", 17470000.0, None, None, "exact", "套", "full-channel retail", "China", *y24, "L06", "high"),
        ("all", "market_volume", "smart_lock", 22500000.0, None, None, "exact", "套", "white paper", "China", *y24, "L18", "low"),
        ("all", "market_volume", "smart_lock", 25000000.0, 25000000.0, None, "forecast", "套", "forecast", "China", *y24, "L17", "medium"),
    ]
    return pd.DataFrame(rows, columns=DENOMINATOR_COLUMNS)


def second_case_complaints() -> pd.DataFrame:
    """A made-up platform and brand: brand 'acme' with 40 of 300 complaints in a one-month window."""
    w = ("DemoPlatform", "2025-03-01", "2025-03-31", "kitchen")
    y = ("DemoPlatform", "2025-01-01", "2025-06-30", "kitchen")
    return _complaints([
        (*w, "acme", "ACME", 40, 40, 40, 13.33, 300, "exact", "demo"),
        (*w, "bolt", "Bolt", 35, 35, 35, 11.67, 300, "exact", "demo"),
        (*y, "acme", "ACME", 210, 210, 210, None, 1800, "exact", "demo"),
        (*y, "bolt", "Bolt", 160, 160, 160, None, 1800, "exact", "demo"),
        (*y, "cobalt", "Cobalt", 90, 90, 90, None, 1800, "exact", "demo"),
        (*y, "dyna", "Dyna", 60, 60, 60, None, 1800, "exact", "demo"),
    ])


def second_case_denominators() -> pd.DataFrame:
    rows = []
    for brand, revenue, share in (("acme", 120.0, 9.0), ("bolt", 200.0, 15.0), ("cobalt", 90.0, 8.0), ("dyna", 60.0, 5.0)):
        rows.append((brand, "revenue", "kitchen", revenue, None, None, "exact", "CNY 100m", "revenue", "demo", "2025-01-01", "2025-06-30", "demo", "high"))
        rows.append((brand, "retail_share", "kitchen", share, share - 1, share + 2, "range", "percent", "retail units", "demo", "2025-01-01", "2025-06-30", "demo", "medium"))
    return pd.DataFrame(rows, columns=DENOMINATOR_COLUMNS)


def write(frame: pd.DataFrame, path) -> str:
    if str(path).endswith(".parquet"):
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    return str(path)


def another_period_complaints() -> pd.DataFrame:
    """The case plus a made-up first quarter of 2025 on the same platform: three brands' counts,
    and no revenue or retail share for that quarter, so no cross-section to estimate
    over-dispersion from."""
    q = ("消费保", "2025-01-01", "2025-03-31", "home_appliance")
    quarter = _complaints([
        (*q, "xiaomi", "小米", 300, 300, 300, 15.0, 2000, "exact", "demo"),
        (*q, "midea", "美的", 200, 200, 200, 10.0, 2000, "exact", "demo"),
        (*q, "gree", "格力", 150, 150, 150, 7.5, 2000, "exact", "demo"),
    ])
    return pd.concat([case_complaints(), quarter], ignore_index=True)


def another_period_denominators() -> pd.DataFrame:
    """The case's denominators plus the quarter's AC shipments ("over 1.1 million", a lower bound)
    and a made-up AC market size for the quarter."""
    q = ("2025-01-01", "2025-03-31")
    rows = [
        ("xiaomi", "shipments", "air_conditioner", 1100000.0, 1100000.0, None, "lower_bound", "台", "shipments", "global", *q, "A08a", "high"),
        ("all", "market_volume", "air_conditioner", 40000000.0, None, None, "exact", "台", "domestic sales", "China", *q, "demo", "medium"),
    ]
    return pd.concat([case_denominators(), pd.DataFrame(rows, columns=DENOMINATOR_COLUMNS)], ignore_index=True)
