"""Bad input: every unusable row is rejected with file, line, column and reason; the rest is used."""

import pandas as pd
import pytest

from brandrep.cleaning import build, clean
from brandrep.errors import InputError
from brandrep.paths import RAW_DIR

HEADER = "record_id,platform,period_start,period_end,category,brand,share,count,total,source_ids,note\n"
ROWS = [
    "G1,消费保,2024-10-14,2024-11-11,home_appliances,小米,15.15%,,726,S01;S02,good",           # line 2
    "B1,消费保,2024-10-14,2024-11-11,home_appliances,美的,15.16%,,726,S01,no integer",         # line 3
    "B2,消费保,2024-01-01,2024-12-31,all,美的,101%,,8308,C01,above 100",                       # line 4
    "B3,消费保,2024-01-01,2024-12-31,x,美的,,9000,8308,C01,count above total",                 # line 5
    "B4,消费保,2024-01-01,2024-12-31,y,美的,,-5,8308,C01,negative",                             # line 6
    "B5,消费保,2024-01-01,2024-12-31,z,美的,,abc,8308,C01,unparseable",                         # line 7
    "B6,消费保,2024-01-01,2024-12-31,w,美的,,5台,8308,C01,not a complaint count",               # line 8
    "B7,消费保,2024-01-01,2024-12-31,v,美的,,,8308,C01,neither share nor count",                # line 9
    "S1,黑猫投诉,2024-01-01,2024-06-30,all,小米,60%,,1000,X,sum above 100",                      # line 10
    "S2,黑猫投诉,2024-01-01,2024-06-30,all,美的,50%,,1000,X,sum above 100",                      # line 11
    "G2,消费保,2024-01-01,2024-12-31,home_appliances,Acme,,12,8308,C01,unknown brand kept",     # line 12
    "G1,消费保,2024-10-14,2024-11-11,home_appliances,小米,15.15%,,726,S01;S02,good",           # line 13 duplicate
    "B8,消费保,2024-13-01,2024-12-31,u,美的,,5,8308,C01,bad date",                              # line 14
    "B9,消费保,2024-01-01,2024-12-31,t,美的,,1312,8308,C01,count contradicts share",            # line 15
]
ROWS[-1] = "B9,消费保,2024-01-01,2024-12-31,t,美的,50%,1312,8308,C01,count contradicts share"


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "shares.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def test_each_bad_row_is_rejected_with_its_reason(bad_file):
    with pytest.warns(UserWarning, match="Acme"):
        result = clean(complaints_path=bad_file)
    rejects = result.tables["rejects"]
    ours = rejects[rejects["file"] == "shares.csv"].set_index("line")
    expected = {
        3: ("share", "no whole number"), 4: ("share", "impossible share"), 5: ("count", "above the total"),
        6: ("count", "negative"), 7: ("count", "no number"), 8: ("count", "not a count"),
        9: ("", "needs a share or a count"), 10: ("share", "above 100%"), 11: ("share", "above 100%"),
        13: ("", "duplicate of line 2"), 14: ("period_start", "impossible date"), 15: ("count", "does not give"),
    }
    assert sorted(ours.index) == sorted(expected)
    for line, (column, reason) in expected.items():
        assert ours.at[line, "column"] == column, line
        assert reason in ours.at[line, "reason"], (line, ours.at[line, "reason"])
    assert (ours["file"] == "shares.csv").all()

    complaints = result.tables["complaints"]
    assert set(complaints["brand_raw"]) == {"小米", "Acme"}  # the good rows were still processed
    assert "Acme" in set(complaints["brand"]) and result.unknown_brands == ["Acme"]
    acc = result.accounting["shares.csv"]
    assert (acc.read, acc.accepted, acc.rejected, acc.duplicates) == (14, 2, 11, 1)


def test_missing_required_column_names_file_and_column(tmp_path):
    path = tmp_path / "no_brand.csv"
    path.write_text("platform,period_end,share,total,source_ids\n消费保,2024-11-11,15.15%,726,S01\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no_brand\.csv.*brand"):
        clean(complaints_path=path)


def test_bad_figure_rows_are_rejected_and_the_rest_kept(tmp_path):
    source = pd.read_csv(RAW_DIR / "figures.csv", dtype=str, keep_default_na=False)
    bad = source.head(4).copy()
    bad.loc[0, "raw_value"] = "12 apples"
    bad.loc[1, "period_end"] = "2024-02-30"
    bad.loc[2, "confidence"] = "certain"
    path = tmp_path / "figures.csv"
    bad.to_csv(path, index=False)
    result = clean(figures_path=path)
    rejects = result.tables["rejects"].set_index("line")
    assert rejects.at[2, "column"] == "raw_value" and "unknown unit 'apples'" in rejects.at[2, "reason"]
    assert rejects.at[3, "column"] == "period_end" and "impossible date" in rejects.at[3, "reason"]
    assert rejects.at[4, "column"] == "confidence"
    assert list(result.tables["figures"]["figure_id"]) == [source.loc[3, "figure_id"]]
    acc = result.accounting["figures.csv"]
    assert acc.read == 4 and acc.accepted == 1 and acc.rejected == 3


def test_rejects_file_lists_bad_rows(bad_file, tmp_path, capsys):
    with pytest.warns(UserWarning):
        build(complaints_path=bad_file, out_dir=tmp_path / "out")
    printed = capsys.readouterr().out
    assert "shares.csv: rows read 14 = accepted 2 + rejected 11 + duplicates 1" in printed
    written = pd.read_csv(tmp_path / "out" / "rejects.csv", encoding="utf-8-sig")
    assert list(written.columns) == ["file", "line", "column", "reason", "raw"]
    assert len(written) == 12


def test_groups_that_cannot_all_be_true_are_rejected_together(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text(
        "platform,period_end,category,brand,share,count,total,source_ids\n"
        "A,2024-12-31,x,小米,,600,1000,s\n"          # counts 600 + 500 > 1000
        "A,2024-12-31,x,美的,,500,1000,s\n"
        "B,2024-12-31,x,小米,10%,,1000,s\n"          # totals disagree
        "B,2024-12-31,x,美的,10%,,1200,s\n"
        "C,2024-12-31,x,小米,50%,,1000,s\n"          # 50% + 50% = 100%: allowed
        "C,2024-12-31,x,美的,50%,,1000,s\n",
        encoding="utf-8",
    )
    result = clean(complaints_path=path)
    rejects = result.tables["rejects"]
    reasons = dict(zip(rejects["line"], rejects["reason"]))
    assert "110.00%, above 100%" in reasons[2] and "above 100%" in reasons[3]  # 60% + 50%
    assert "different totals (1000, 1200)" in reasons[4] and "different totals" in reasons[5]
    assert list(result.tables["complaints"]["platform"]) == ["C", "C"]
