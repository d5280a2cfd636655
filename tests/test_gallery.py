"""The gallery page opens in headless Chromium with every image decoded and no broken link."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from brandrep import charts
from brandrep.charts import examples

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    root = tmp_path_factory.mktemp("output_root")
    folder = root / "figures"
    processed = root / "data" / "processed"
    processed.mkdir(parents=True)
    claim_shares = examples.claim_shares()
    claim_shares.to_csv(processed / "claim_shares.csv", index=False)
    saved = [
        charts.save_chart(charts.share_vs_share, claim_shares, folder=folder,
                          data_files=["data/processed/claim_shares.csv", "data/raw/not_under_output_root.csv"]),
        charts.save_chart(charts.sentiment_by_brand, examples.sentiment_by_brand(), folder=folder,
                          data_files=["data/processed/sentiment_by_brand.csv"]),
    ]
    charts.write_manifest(saved, folder)
    page = charts.write_gallery(saved, folder)
    return page, saved


def test_gallery_is_deterministic_and_names_everything(gallery):
    page, saved = gallery
    html = page.read_text(encoding="utf-8")
    assert html == charts.gallery.gallery_html(saved, page.parent)
    for chart in saved:
        assert chart.titles["zh"] in html and chart.titles["en"] in html
        assert f'href="{chart.data_file}"' in html
        for file_name in chart.files.values():
            assert f'"{file_name}"' in html
    # Input tables live outside figures/: named, never linked (the link breaks when figures/ ships alone).
    assert "<code>data/processed/claim_shares.csv</code>" in html
    assert "<code>data/raw/not_under_output_root.csv</code>" in html
    assert 'href="../' not in html
    assert "@font-face" in html and "data:font/woff;base64," in html


@pytest.mark.browser
def test_gallery_loads_in_headless_chromium(gallery, tmp_path):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("headless Chromium is not installed: run `make browser` (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    page_path, saved = gallery
    # figures/ shipped on its own (copied, mailed, served): every link must still resolve.
    shipped = tmp_path / "shipped" / "figures"
    shutil.copytree(page_path.parent, shipped)
    page_path = shipped / page_path.name
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_path.as_uri(), wait_until="load")
            images = page.eval_on_selector_all(
                "img", "els => els.map(e => ({src: e.currentSrc || e.src, ok: e.complete && e.naturalWidth > 0,"
                       " width: e.naturalWidth}))")
            links = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
            # The page's own Chinese text uses the embedded CJK font, so no machine shows boxes.
            page.evaluate("document.fonts.ready.then(() => true)")
            font_ok = page.evaluate("""() => [...document.fonts].some(f => f.family.replace(/"/g, '') === 'brandrep-cjk'
                                      && f.status === 'loaded') && document.fonts.check('16px "brandrep-cjk"', '图表投诉')""")
            page.screenshot(path=str(tmp_path / "gallery.png"), full_page=True)
        finally:
            browser.close()
    assert font_ok
    assert len(images) == 2 * len(saved)
    assert [image for image in images if not image["ok"]] == []
    broken = [href for href in links
              if urlparse(href).scheme != "file" or not Path(unquote(urlparse(href).path)).is_file()]
    assert broken == []
    # formats, data CSVs, the manifest and the contents list (input tables are named, not linked)
    expected_links = sum(len(chart.files) + 1 for chart in saved) + 1 + len(saved)
    assert len(links) == expected_links
    assert (tmp_path / "gallery.png").stat().st_size > 10_000
