"""Publication charts: every chart in every format and language, fonts embedded, no tofu, reruns
byte-identical, manifest checksums true, and bad input refused with the chart and key named."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.text
import numpy as np
import pandas as pd
import pytest

from brandrep import charts
from brandrep.charts import examples, strings, suite
from brandrep.charts.manifest import check_manifest, read_manifest
from brandrep.charts.save import FORMAT_NAMES
from brandrep.charts.style import PNG_WIDTH_PX, contains_cjk
from brandrep.errors import BrandrepError

SRC = Path(charts.__file__).resolve().parents[2]

# Draws every chart from the example tables into sys.argv[1]; run in-process and in a fresh
# process, so the rerun check also catches anything that depends on the process (hash seeds, ids).
BUILD_ALL = """
import sys
from pathlib import Path
from brandrep import charts
from brandrep.charts import examples, suite

def build_all(root, only=None):
    # As notebook 04 does: example tables in ROOT/data/processed, charts into ROOT/figures.
    root = Path(root)
    examples.write_example_tables(root / "data" / "processed")
    run = suite.build_all(folder=root / "figures", tables_folder=root / "data" / "processed",
                          charts=tuple(only) if only else tuple(suite.CHART_TABLES))
    charts.write_manifest(run.saved, root / "figures")
    charts.write_gallery(run.saved, root / "figures")
    return run.saved

if __name__ == "__main__":
    build_all(sys.argv[1], only=sys.argv[2:] or None)
"""
CHART_NAMES = ("share_vs_share", "funnel", "funnel_dot_denied_boarding_2016", "tipping_point", "r_simulation",
               "topics_by_brand", "sentiment_by_brand", "claims_ledger")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("output_root")
    namespace: dict = {}
    exec(compile(BUILD_ALL, "build_all", "exec"), namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        saved = namespace["build_all"](root)
    return root / "figures", saved, [str(w.message) for w in caught]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_every_chart_in_every_format_and_language(built):
    folder, saved, _ = built
    assert sorted(s.name for s in saved) == sorted(CHART_NAMES)
    for name in CHART_NAMES:
        for lang in ("zh", "en"):
            width, height = png_size(folder / f"{name}_{lang}.png")
            assert width == PNG_WIDTH_PX and height > 400
            assert png_size(folder / f"{name}_{lang}@2x.png") == (2 * width, 2 * height)
            assert ET.parse(folder / f"{name}_{lang}.svg").getroot().tag.endswith("svg")
            assert (folder / f"{name}_{lang}.pdf").read_bytes().startswith(b"%PDF-")
        data = pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig")
        assert len(data) > 0
        assert (folder / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_no_glyph_is_missing_from_the_fonts(built):
    _, _, messages = built
    assert not [m for m in messages if "missing from font" in m.lower() or "glyph" in m.lower()]


def test_pdfs_embed_the_cjk_font(built):
    folder, _, _ = built
    for path in sorted(folder.glob("*.pdf")):
        data = path.read_bytes()
        fonts = set(re.findall(rb"/BaseFont\s*/([A-Z]{6}\+[^\s/\]>]+)", data))
        assert any(b"NotoSansCJKsc" in font for font in fonts), (path.name, fonts)
        assert b"/FontFile2" in data or b"/FontFile3" in data, path.name  # the font program itself


def test_chinese_svg_draws_outlines_and_english_svg_keeps_text(built):
    folder, _, _ = built
    for name in CHART_NAMES:
        zh = (folder / f"{name}_zh.svg").read_text(encoding="utf-8")
        en = (folder / f"{name}_en.svg").read_text(encoding="utf-8")
        assert "<text" not in zh  # outlines: no viewer can show tofu
        assert "<text" in en and "Noto Sans CJK SC" in en and "sans-serif" in en
        assert not contains_cjk(en)


def test_titles_say_what_the_chart_shows_in_both_languages(built):
    _, saved, _ = built
    for chart in saved:
        assert contains_cjk(chart.titles["zh"]) and not contains_cjk(chart.titles["en"])
        assert chart.sources["zh"] and chart.sources["en"]
    share = next(s for s in saved if s.name == "share_vs_share")
    assert "2024-10-14" in share.titles["en"] and "消费保" in share.titles["zh"]
    # Numbers in titles are computed from the data, not written into the strings table.
    sim = examples.r_simulation()
    pct = f"{100 * sim['flagged'].mean():.0f}%"
    assert f": {pct} of draws" in next(s for s in saved if s.name == "r_simulation").titles["en"]


def test_manifest_lists_every_file_with_a_true_checksum(built):
    folder, _, _ = built
    manifest = read_manifest(folder)
    assert check_manifest(folder) == []
    listed = set(manifest["file"])
    on_disk = {p.name for p in folder.iterdir()} - {"manifest.csv", "index.html"}
    assert listed == on_disk
    assert len(manifest) == len(CHART_NAMES) * (2 * len(FORMAT_NAMES) + 1)
    row = manifest[(manifest["chart"] == "funnel") & (manifest["format"] == "pdf") & (manifest["language"] == "zh")]
    assert row["file"].item() == "funnel_zh.pdf"
    assert row["function"].item() == "brandrep.charts.claims.funnel"
    assert row["notebook"].item() == "04_charts"
    assert row["data_files"].item() == "data/processed/funnel_points.csv;data/processed/funnel_limits.csv"
    assert set(manifest["notebook"]) == {"04_charts"}
    assert row["title_zh"].item() and row["title_en"].item() and row["source_en"].item()
    # A changed file is caught.
    victim = folder / "funnel.csv"
    original = victim.read_bytes()
    try:
        victim.write_bytes(original + b"1,2\n")
        assert check_manifest(folder) == ["funnel.csv: checksum differs from the manifest"]
    finally:
        victim.write_bytes(original)


def test_rerun_in_a_fresh_process_is_byte_identical(built, tmp_path):
    """Charts drawn again in a new process (other hash seed) are byte-identical in every format.

    Two charts cover every format, both languages, a log axis, two panels, data-derived text and
    CJK outlines; the whole suite's rerun is checked by `brandrep verify --rerun`.
    """
    folder, _, _ = built
    again_charts = ["share_vs_share", "tipping_point"]
    script = tmp_path / "build_all.py"
    script.write_text(BUILD_ALL, encoding="utf-8")
    again = tmp_path / "again"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
           "PYTHONHASHSEED": "123", "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, str(script), str(again), *again_charts], check=True, env=env, cwd=tmp_path)
    again = again / "figures"
    names = sorted(p.name for p in again.iterdir() if p.name not in ("manifest.csv", "index.html"))
    assert len(names) == len(again_charts) * (2 * len(FORMAT_NAMES) + 1)
    differing = [name for name in names if (folder / name).read_bytes() != (again / name).read_bytes()]
    assert differing == []
    # The manifest rows of those charts (checksums included) are identical too.
    first = read_manifest(folder)
    second = read_manifest(again)
    assert first[first["chart"].isin(set(second["chart"]))].reset_index(drop=True).equals(second)


# --- Chinese text renders with real glyphs, not missing-glyph boxes -------------------------------

def _render(text: str, family) -> np.ndarray:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 0.8), dpi=100)
    FigureCanvasAgg(fig)
    fig.text(0.02, 0.5, text, family=family, fontsize=24, va="center")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the DejaVu-only control warns about missing glyphs, by design
        fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., 0].copy()


def test_chinese_title_renders_real_glyphs_not_boxes():
    house = [charts.CJK_FONT_NAME, "DejaVu Sans"]
    title = "小米投诉占比"
    with_cjk = _render(title, house)
    without_cjk = _render(title, ["DejaVu Sans"])  # what a machine without a CJK font shows: boxes
    assert (with_cjk < 128).sum() > 0
    assert not np.array_equal(with_cjk, without_cjk)
    # Control: in a font without the glyphs two different characters draw the same box ...
    assert np.array_equal(_render("小", ["DejaVu Sans"]), _render("米", ["DejaVu Sans"]))
    # ... while the house font draws each character differently.
    glyphs = [_render(ch, house) for ch in "小米投诉"]
    for i in range(len(glyphs)):
        for j in range(i + 1, len(glyphs)):
            assert not np.array_equal(glyphs[i], glyphs[j])


def test_chart_figure_text_uses_the_cjk_font():
    fig = charts.sentiment_by_brand(examples.sentiment_by_brand(), lang="zh")
    from matplotlib.font_manager import findfont

    titles = [t for t in fig.texts if contains_cjk(t.get_text())]
    assert titles
    for text in titles:
        assert Path(findfont(text.get_fontproperties())).name == "NotoSansCJKsc-Regular.otf"


# --- bad input ---------------------------------------------------------------------------------

def test_missing_column_names_the_chart_table_and_column():
    bad = examples.claim_shares().drop(columns=["exposure_share_low"])
    with pytest.raises(BrandrepError, match=r"share_vs_share.*claim_shares.*exposure_share_low"):
        charts.share_vs_share(bad, lang="en")
    with pytest.raises(BrandrepError, match=r"sentiment_by_brand.*missing"):
        charts.sentiment_by_brand(None, lang="en")


def test_unknown_language_is_refused():
    with pytest.raises(BrandrepError, match=r"sentiment_by_brand.*language 'fr'"):
        charts.sentiment_by_brand(examples.sentiment_by_brand(), lang="fr")


def test_missing_label_names_chart_and_key(monkeypatch):
    table = dict(strings.strings_table())
    del table[("sentiment_by_brand", "x_label")]
    monkeypatch.setattr(strings, "strings_table", lambda: table)
    with pytest.raises(BrandrepError, match=r"chart 'sentiment_by_brand': label 'x_label' missing"):
        charts.sentiment_by_brand(examples.sentiment_by_brand(), lang="zh")


def test_several_windows_must_be_chosen():
    two = pd.concat([examples.claim_shares(), examples.claim_shares().assign(period_start="2024-01-01",
                                                                              period_end="2024-12-31")])
    with pytest.raises(BrandrepError, match="several complaint windows"):
        charts.share_vs_share(two, lang="en")
    fig = charts.share_vs_share(two, lang="en", period_start="2024-01-01")
    assert set(fig.brandrep.data["period_start"]) == {"2024-01-01"}


def test_failed_chart_leaves_the_good_files_in_place(tmp_path, monkeypatch):
    saved = charts.save_chart(charts.sentiment_by_brand, examples.sentiment_by_brand(), folder=tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    # A label missing in English only: the Chinese version is drawn, but nothing is written.
    table = dict(strings.strings_table())
    table[("sentiment_by_brand", "title")] = {"zh": "标题", "en": ""}
    monkeypatch.setattr(strings, "strings_table", lambda: table)
    with pytest.raises(BrandrepError, match="'title' missing"):
        charts.save_chart(charts.sentiment_by_brand, examples.sentiment_by_brand().assign(n=1), folder=tmp_path)
    monkeypatch.undo()
    # A write that dies half-way (disk full, killed run) leaves the previous file and no debris.
    from matplotlib.figure import Figure

    def broken_savefig(self, handle, **kwargs):
        handle.write(b"half a figure")
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", broken_savefig)
    with pytest.raises(OSError):
        charts.save_chart(charts.sentiment_by_brand, examples.sentiment_by_brand().assign(n=1), folder=tmp_path)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before
    assert saved.files[("zh", "png")] == "sentiment_by_brand_zh.png"


def test_strings_table_is_complete_in_both_languages():
    table = strings.strings_table()
    for (chart, key), entry in table.items():
        assert entry["zh"].strip() and entry["en"].strip(), (chart, key)
        # English charts stay free of Chinese characters, so their SVGs keep text as text.
        assert not contains_cjk(entry["en"]), (chart, key)


def test_missing_input_table_names_the_chart_and_the_file(tmp_path):
    with pytest.raises(BrandrepError, match=r"chart 'r_simulation': input table 'r_simulation' is missing"):
        suite.build_all(charts=("r_simulation",), tables_folder=tmp_path, folder=tmp_path / "figures")
    with pytest.raises(BrandrepError, match=r"unknown chart"):
        suite.build_all(charts=("pie",), tables_folder=tmp_path)


def test_a_chart_without_rows_is_skipped_with_its_reason(tmp_path):
    from brandrep.io.writing import write_table

    write_table(examples.r_simulation().iloc[0:0], tmp_path / "r_simulation")
    run = suite.build_all(charts=("r_simulation",), tables_folder=tmp_path, folder=tmp_path / "figures")
    assert run.saved == []
    assert run.skipped == [("r_simulation", "r_simulation has no draws (no sourced exposure range for the brand)")]
    assert not list((tmp_path / "figures").glob("*"))


def test_english_strings_avoid_full_width_punctuation():
    # Noto Sans CJK draws “ ” （ ） as full-width glyphs, which look broken in English text.
    for (chart, key), entry in strings.strings_table().items():
        assert not re.search(r"[“”‘’（）：；，。]", entry["en"]), (chart, key, entry["en"])


def test_exposure_measures_as_notebook_03_writes_them_are_translated():
    assert strings.measure_label("shipments", "zh") == "出货量"
    assert strings.measure_label("retail_share:air_conditioners", "en") == "retail share (air conditioners)"
    assert strings.measure_label("retail_share:air_conditioners", "zh") == "零售份额（空调）"
    assert strings.measure_label("revenue_share_among:gree,midea,xiaomi", "en") == "revenue share among Gree, Midea, Xiaomi"
    assert strings.measure_label("odm_volume/market_volume:smart_locks", "zh") == "代工量 / 市场总量（智能门锁）"
    assert strings.measure_label("new_measure:new_category", "en") == "new_measure (new_category)"


def test_source_line_comes_from_the_complaint_figures_own_sources(tmp_path):
    from brandrep.io.writing import write_table

    write_table(pd.DataFrame({"platform": ["消费保", "消费保"], "period_start": ["2024-10-14", "2024-01-01"],
                              "period_end": ["2024-11-11", "2024-12-31"], "source_ids": ["S01;S02", "C01"]}),
                tmp_path / "complaints")
    write_table(pd.DataFrame({"figure_id": ["S01", "S02", "C01"], "source_name": ["羊城晚报", "羊城晚报", "Other"],
                              "published_date": ["2024-12-26", "2024-12-26", "2025-03"], "page": ["A7", "A7", None]}),
                tmp_path / "figures")
    sources = suite.complaint_sources("消费保", "2024-10-14", "2024-11-11", tmp_path)
    assert sources == {"zh": "《羊城晚报》 2024-12-26 A7版", "en": "Yangcheng Evening News, 2024-12-26, p. A7"}
    assert suite.complaint_sources("消费保", "2023-01-01", "2023-12-31", tmp_path) is None
    fig = charts.share_vs_share(examples.claim_shares(), lang="en", sources=sources)
    assert "as published by Yangcheng Evening News, 2024-12-26, p. A7" in fig.brandrep.source


def test_funnel_picks_the_validation_wording_for_the_dot_dataset():
    points, limits = examples.funnel_tables("us_dot_denied_boarding_2016", ("Delta", "United", "JetBlue"))
    fig = charts.funnel(points, limits, lang="en", highlight=None)
    assert fig.brandrep.chart == "funnel_dot" and fig.brandrep.title.startswith("Validation")
    brand_points, brand_limits = examples.funnel_tables()
    fig = charts.funnel(brand_points, brand_limits, lang="zh")
    assert fig.brandrep.chart == "funnel" and "以出货量为分母" in fig.brandrep.title


def test_chart_shows_itself_inline_whatever_the_backend():
    # `brandrep run` executes notebooks with the Agg backend, where a plain Figure displays as text.
    from IPython.core.formatters import PNGFormatter

    fig = charts.sentiment_by_brand(examples.sentiment_by_brand(), lang="zh")
    png = PNGFormatter()(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">I", png[16:20])[0] == 750


def test_prune_removes_only_files_no_chart_makes(tmp_path):
    from brandrep.charts.manifest import prune_stale
    from brandrep.charts.save import SavedChart

    chart = SavedChart(name="a", function="f", notebook="04_charts", data_files=(), titles={}, subtitles={},
                       sources={}, files={("zh", "png"): "a_zh.png", ("en", "png"): "a_en.png"}, data_file="a.csv")
    for name in ("a_zh.png", "a_en.png", "a.csv", "manifest.csv", "index.html", "old_chart_zh.png", "old_chart.csv"):
        (tmp_path / name).write_bytes(b"x")
    assert prune_stale([chart], tmp_path) == ["old_chart.csv", "old_chart_zh.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "a_en.png", "a_zh.png", "index.html", "manifest.csv"]


# --- layout: what an editor rejects at a glance, measured from the rendered bounding boxes ---

from brandrep.charts.layout import broken_terms, layout_problems  # noqa: E402

REPO_TABLES = SRC.parent / "data" / "processed"


def drawn_charts(tables_folder, monkeypatch):
    """Every chart of build_all in both languages, drawn but not saved (fast)."""
    from types import SimpleNamespace

    def draw_only(function, *args, name=None, languages=("zh", "en"), folder=None, notebook=None, data_files=(),
                  **kwargs):
        figures = {lang: function(*args, lang=lang, **kwargs) for lang in languages}
        return SimpleNamespace(name=name or figures["zh"].brandrep.chart, figures=figures)

    monkeypatch.setattr(suite, "save_chart", draw_only)
    return suite.build_all(tables_folder=tables_folder).saved


def test_broken_terms_finds_a_chinese_name_cut_by_a_line_break():
    assert broken_terms("营收份额（格力、美的、小\n米之间）") == ["小米"]
    assert broken_terms("代工量/市场总量（智能门\n锁）") == ["智能门锁"]
    assert broken_terms("营收份额\n（格力、美的、小米之间）") == []


def test_example_charts_pass_the_layout_check(built):
    _, saved, _ = built
    problems = [f"{s.name} {lang}: {p}" for s in saved for lang, fig in s.figures.items()
                for p in layout_problems(fig)]
    assert problems == []


@pytest.mark.skipif(not (REPO_TABLES / "claim_shares.parquet").is_file(), reason="no processed tables")
def test_charts_of_the_processed_tables_pass_the_layout_check(monkeypatch):
    problems = [f"{s.name} {lang}: {p}" for s in drawn_charts(REPO_TABLES, monkeypatch)
                for lang, fig in s.figures.items() for p in layout_problems(fig)]
    assert problems == []


def latin_names_with_a_chinese_name() -> dict[str, str]:
    """{Latin word or key: its Chinese name} for every data value the strings table translates."""
    names = {}
    for (kind, value), entry in strings.strings_table().items():
        if kind in strings.VALUE_KINDS and contains_cjk(entry["zh"]):
            for latin in (value, entry["en"]):
                if latin and not contains_cjk(latin):
                    names[latin] = entry["zh"]
    return names


def untranslated_names(fig) -> list[str]:
    text = "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_visible())
    found = []
    for latin, zh in latin_names_with_a_chinese_name().items():
        if re.search(rf"(?<![A-Za-z0-9_]){re.escape(latin)}(?![A-Za-z0-9_])", text, flags=re.IGNORECASE):
            found.append(f"{latin!r} (zh: {zh})")
    return found


def test_untranslated_name_is_found():
    fig = charts.claims_ledger(examples.claims_ledger(), lang="zh")
    fig.text(0.5, 0.5, "smart_locks and Xiaomi")
    assert {"'smart_locks' (zh: 智能门锁)", "'Xiaomi' (zh: 小米)"} <= set(untranslated_names(fig))


@pytest.mark.skipif(not (REPO_TABLES / "claim_shares.parquet").is_file(), reason="no processed tables")
def test_chinese_charts_name_everything_in_chinese(monkeypatch, built):
    charts_drawn = list(drawn_charts(REPO_TABLES, monkeypatch)) + list(built[1])
    problems = [f"{s.name}: {name}" for s in charts_drawn for name in untranslated_names(s.figures["zh"])]
    assert problems == []


def test_reliability_diagram_draws_every_forecast_with_its_label():
    from brandrep.charts.texts import reliability_diagram
    from brandrep.sentiment.reliability import calibration_table

    truth = ["pos", "neg", "pos", "neg", "pos", "pos"]
    table = calibration_table(truth, [0.9, 0.2, 0.7, 0.4, 0.8, 0.6])
    fig = reliability_diagram({"raw": table, "calibrated": table}, title="t")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["perfectly calibrated", "raw", "calibrated"]


# --- issue 15: what an editor would still reject ------------------------------------------------

def test_layout_check_finds_text_touching_the_edge_and_labels_on_points():
    from brandrep.charts.style import finish_figure, new_figure

    fig, ax = new_figure("sentiment_by_brand", "en", "test")
    ax.plot([0.5], [0.5], marker="o", ms=8, ls="none")
    ax.annotate("on its point", (0.5, 0.5), xytext=(-10, -3), textcoords="offset points")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    finish_figure(fig, title="t", subtitle="", notes=[], source="s", data=pd.DataFrame({"x": [1]}))
    fig.text(0.001, 0.5, "at the edge")  # inside the figure, but on its outermost pixels
    problems = layout_problems(fig)
    assert "text 'at the edge' touches the figure edge (less than 0.1 in)" in problems
    assert "text 'on its point' covers a data point" in problems


def test_source_lines_and_notes_name_publications_not_files(monkeypatch, built):
    charts_drawn = list(built[1])
    if (REPO_TABLES / "claim_shares.parquet").is_file():
        charts_drawn += list(drawn_charts(REPO_TABLES, monkeypatch))
    problems = []
    for chart in charts_drawn:
        for lang, fig in chart.figures.items():
            info = fig.brandrep
            for text in [info.source, *info.notes, info.subtitle]:
                if re.search(r"data/(processed|raw)|notebook|\.csv|\.parquet|笔记本", text):
                    problems.append(f"{chart.name} {lang}: {text[:80]}")
    assert problems == []


def test_funnel_axis_is_in_the_exposure_unit_with_readable_ticks():
    points, limits = examples.funnel_tables("消费保 2024-01-01..2024-12-31 vs revenue", ("xiaomi", "midea", "gree"))
    points["exposure"] *= 1e6  # yuan: 2e9 .. 1e11
    limits["exposure"] *= 1e6
    dot_points, dot_limits = examples.funnel_tables("us_dot_denied_boarding_2016", ("Delta", "United", "JetBlue"))
    pooled = {}
    for lang, unit, suffix in (("zh", "元", "亿"), ("en", "yuan", "bn")):
        fig = charts.funnel(points, limits, lang=lang)
        ax = fig.axes[0]
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert ticks and not [t for t in ticks if "$" in t or "10^" in t or "e+" in t], ticks
        assert any(t.endswith(suffix) for t in ticks), ticks
        assert unit in ax.get_xlabel()
        dot = charts.funnel(dot_points, dot_limits, lang=lang, highlight=None)
        # one name for the pooled line on every funnel
        pooled[lang] = {fig.axes[0].get_legend().get_texts()[0].get_text(),
                        dot.axes[0].get_legend().get_texts()[0].get_text()}
        assert len(pooled[lang]) == 1
        # three brands: the chart says its limits rest on 2 degrees of freedom
        assert ("2个自由度" if lang == "zh" else "2 degrees of freedom") in fig.brandrep.subtitle


def test_open_ended_volume_range_is_an_arrow_and_the_axis_covers_the_data():
    shares = examples.claim_shares()
    gree = shares["brand"] == "gree"
    shares.loc[gree, "exposure_share_high"] = 1.0  # "more than 6%": no upper end
    shares.loc[gree, "rests_on_bound"] = True
    fig = charts.share_vs_share(shares, lang="en")
    ax = fig.axes[0]
    assert ax.get_xlim()[1] < 40  # the data run to about 20%, not to the bound's 100%
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(arrows) == 1
    assert layout_problems(fig) == []


def test_shares_among_listed_brands_have_their_own_labelled_encoding():
    shares = examples.claim_shares()
    among = shares[shares["brand"].isin(["xiaomi", "midea", "gree"]) & (shares["exposure_measure"] == "retail_volume")]
    among = among.assign(total=225, exposure_measure="revenue_share_among:gree,midea,xiaomi")
    fig = charts.share_vs_share(pd.concat([shares, among], ignore_index=True), lang="en")
    ax = fig.axes[0]
    legend = [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]
    assert "all 726 complaints (solid bars)" in legend
    assert "the 225 complaints against listed brands (dotted bars)" in legend
    labels = [t.get_text() for t in ax.texts]
    # every point labelled: 6 brands' points of all complaints and 3 among listed brands
    assert sum("(among listed brands)" in text for text in labels) == 3
    assert len([t for t in labels if t and not t.startswith("just volume")]) == len(fig.brandrep.data)


def test_tipping_point_names_window_and_prints_phi_one_way():
    curve, markers = examples.tipping_point()
    curve["phi"] = 168.1
    curve["phi_df"] = 2
    fig = charts.tipping_point(curve, markers, lang="en", platform="消费保", period_start="2024-10-14",
                               period_end="2024-11-11")
    info = fig.brandrep
    assert "Xiaofeibao, 2024-10-14 to 2024-11-11" in info.title
    text = "\n".join(t for t in [info.subtitle, *info.notes] + [t.get_text() for t in fig.axes[1].get_legend().get_texts()])
    assert "168.1" not in text and "φ = 168 on 2 df" in text and "(φ = 168)" in text
    assert re.search(r"Xiaomi's share of exposure must be below \d+\.\d% for its complaints", info.subtitle)
    assert layout_problems(fig) == []


def test_sentiment_singles_out_no_brand_and_marks_small_groups():
    from brandrep.charts.style import HIGHLIGHT

    data = examples.sentiment_by_brand()
    data.loc[data["brand"] == "haier", "n"] = 4
    for lang in ("zh", "en"):
        fig = charts.sentiment_by_brand(data, lang=lang)
        ax = fig.axes[0]
        lines = ax.get_lines()
        assert not [line for line in lines if line.get_color() == HIGHLIGHT]
        assert not [line for line in lines if list(line.get_xdata()) == [0.5, 0.5]]  # no unlabelled 0.5 line
        hollow = [line for line in lines if line.get_marker() == "o" and line.get_markerfacecolor() == "white"]
        assert len(hollow) == 1  # haier, n = 4
        assert ("示例文本" if lang == "zh" else "illustrative texts") in fig.brandrep.title + fig.brandrep.subtitle
        assert layout_problems(fig) == []


ONE_POINT_CASES = {
    "share_vs_share": lambda: (charts.share_vs_share, (examples.claim_shares().iloc[:1],), {}),
    "share_vs_share_no_interval": lambda: (charts.share_vs_share, (examples.claim_shares().iloc[:3].assign(
        share_low=np.nan, share_high=np.nan),), {}),
    "funnel": lambda: (charts.funnel, (examples.funnel_tables(brands=("xiaomi",))), {}),
    "tipping_point": lambda: (charts.tipping_point, (examples.tipping_point()[0].iloc[:1],), {}),
    "r_simulation": lambda: (charts.r_simulation, (examples.r_simulation().iloc[:1],), {}),
    "topics_by_brand": lambda: (charts.topics_by_brand, (examples.topics_by_brand().iloc[:1],), {}),
    "sentiment_by_brand": lambda: (charts.sentiment_by_brand, (examples.sentiment_by_brand().iloc[:1],), {}),
    "sentiment_no_interval": lambda: (charts.sentiment_by_brand, (examples.sentiment_by_brand().assign(
        mean_low=np.nan, mean_high=np.nan),), {}),
}


@pytest.mark.parametrize("case", sorted(ONE_POINT_CASES))
def test_a_chart_with_one_point_or_no_interval_says_so(case):
    function, args, kwargs = ONE_POINT_CASES[case]()
    key = "sparse_no_interval" if case.endswith("no_interval") else "sparse_one_point"
    for lang in ("zh", "en"):
        fig = function(*args, lang=lang, **kwargs)
        message = strings.label("common", key, lang)
        assert message in fig.brandrep.sparse
        drawn = "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_visible())
        assert message in drawn
        assert layout_problems(fig) == []


@pytest.mark.parametrize("lang, open_text", [("en", "no upper limit"), ("zh", "无上限")])
def test_ledger_says_an_open_ended_share_range_has_no_upper_limit(lang, open_text):
    # a share published as a lower bound ("over 3.58%") runs to 100% in the table; printing
    # "[3.58, 100]" would read as a measured interval up to 100% (issue 15)
    ledger = examples.claims_ledger()
    ledger.loc[ledger["claim_id"] == "C4", ["estimate", "interval_low", "interval_high", "rests_on_bound"]] = \
        [0.0705, 0.0358, 1.0, True]
    fig = charts.claims_ledger(ledger, lang=lang)
    text = "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    assert f"[3.58, {open_text}]" in text
    assert "3.58, 100]" not in text
