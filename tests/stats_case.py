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
        (*y, "xiaomi", "小米", 1312, 1312, 1312, 15.8, 8308, "exact", "C01;C02"),
        (*y, "midea", "美的", 652, 652, 652, 7.8, 8308, "exact", "C01;C03"),
        (*y, "gree", "格力", 472, 472, 472, 5.7, 8308, "exact", "C01;C04"),
        ("黑猫投诉", None, "2024-12-26", "all", "xiaomi", "小米", 158000, 158000, None, None, None, "lower_bound", "S03"),
        ("黑猫投诉", None, "2024-12-26", "after_sales", "xiaomi", "小米售后", 37000, 37000, None, None, None,
         "lower_bound", "S04"),
    ])


def case_denominators() -> pd.DataFrame:
    rows = [
        ("xiaomi", "revenue", "iot_lifestyle", 1041.0, None, None, "exact", "CNY 100m", "revenue", "global", "2024-01-01", "2024-12-31", "A02", "high"),
        ("midea", "revenue", "smart_home", 2695.32, None, None, "exact", "CNY 100m", "revenue", "global", "2024-01-01", "2024-12-31", "A11", "high"),
        ("gree", "revenue", "total", 1900.38, None, None, "exact", "CNY 100m", "revenue", "global", "2024-01-01", "2024-12-31", "A13", "high"),
        ("xiaomi", "retail_share", "air_conditioner", 11.28, 11.28, 11.95, "range", "percent", "online retail value", "China online", "2024-01-01", "2024-12-31", "A18", "low"),
        ("midea", "retail_share", "air_conditioner", 33.2, None, None, "exact", "percent", "online retail value", "China online", "2024-01-01", "2024-12-31", "A16", "medium"),
        ("gree", "retail_share", "air_conditioner", 25.40, None, None, "exact", "percent", "online retail value", "China online", "2024-01-01", "2024-12-31", "A17", "medium"),
        ("xiaomi", "shipments", "air_conditioner", 6800000.0, 6800000.0, None, "lower_bound", "units", "shipments", "may include exports", "2024-01-01", "2024-12-31", "A04", "high"),
        ("all", "market_volume", "air_conditioner", 96520000.0, None, None, "exact", "units", "domestic sales", "China", "2024-01-01", "2024-12-31", "A19", "medium"),
        ("xiaomi", "installed_base", "smart_lock", 7000000.0, 7000000.0, None, "lower_bound", "units", "cumulative shipments", "all years", None, "2024-12-09", "S05", "medium"),
        ("lockin", "odm_volume", "smart_lock", 914000.0, None, None, "exact", "units", "ODM units sold", "mostly for Xiaomi", "2024-01-01", "2024-12-31", "X03", "medium"),
        ("all", "market_volume", "smart_lock", 17470000.0, None, None, "exact", "units", "full-channel retail", "China", "2024-01-01", "2024-12-31", "L06", "high"),
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
