"""Brand aliases: one key per brand, unknown names kept and reported (contracts.md)."""

import warnings

import pytest

from brandrep.brands import (UnknownBrandWarning, alias_table, canonical_brand, canonical_brands,
                             display_name, known_brands)


@pytest.mark.parametrize(
    ("name", "brand"),
    [("小米", "xiaomi"), ("米家", "xiaomi"), ("Xiaomi", "xiaomi"), ("MI", "xiaomi"), ("mi", "xiaomi"),
     ("Mijia", "xiaomi"), ("ＸＩＡＯＭＩ", "xiaomi"), (" 小米 ", "xiaomi"), ("美的", "midea"),
     ("Midea", "midea"), ("格力", "gree"), ("Gree", "gree"), ("海尔", "haier"), ("Haier", "haier"),
     ("鹿客", "lockin"), ("Lockin", "lockin"), ("德施曼", "dessmann"), ("凯迪仕", "kaadas"),
     ("萤石", "ezviz"), ("EZVIZ", "ezviz"), ("TCL", "tcl"), ("飞利浦", "philips"), ("Philips", "philips"),
     ("华为", "huawei"), ("Huawei", "huawei"), ("海信", "hisense"), ("Hisense", "hisense"),
     ("奥克斯", "aux"), ("AUX", "aux"), ("xiaomi", "xiaomi")],
)
def test_aliases_map_to_one_key(name, brand):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert canonical_brand(name) == brand


def test_unknown_names_are_kept_and_reported():
    with pytest.warns(UnknownBrandWarning, match="小米售后"):
        assert canonical_brand("小米售后") == "小米售后"
    with pytest.warns(UnknownBrandWarning, match="Acme"):
        keys, unknown = canonical_brands(["小米", "Acme", "格力"])
    assert list(keys) == ["xiaomi", "Acme", "gree"]
    assert unknown == ["Acme"]


def test_empty_name_means_all_brands():
    assert canonical_brand("") == "all"


def test_keys_are_lower_case_ascii_and_aliases_unambiguous():
    for brand in known_brands():
        assert brand.isascii() and brand == brand.lower()
    assert not alias_table()["alias"].str.casefold().duplicated().any()


def test_display_names():
    assert display_name("xiaomi") == "小米"
    assert display_name("xiaomi", "en") == "Xiaomi"
    assert display_name("acme") == "acme"
