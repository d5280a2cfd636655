"""The docs site: its pages exist, say what the code does, and render with no broken internal link (issue 16)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from brandrep.cleaning.build import REQUIRED_COLUMNS
from brandrep.cleaning.dictionary import TABLES
from brandrep.paths import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"
PAGES = ("own-case", "schemas", "methods", "sentiment", "charts", "input", "reproducibility", "benchmarks")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def test_every_page_is_in_the_site_contents():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in PAGES:
        assert (DOCS / f"{page}.md").is_file(), page
        assert re.search(rf"^{re.escape(page)}$", index, re.M), f"{page} is not in index.md's toctree"


def test_schemas_page_names_every_column_of_every_table():
    schemas = (DOCS / "schemas.md").read_text(encoding="utf-8")
    for table, spec in TABLES.items():
        assert f"`{table}`" in schemas, table
        for column in spec["columns"]:
            assert f"`{column}`" in schemas, f"{table}.{column}"
    for kind, required in REQUIRED_COLUMNS.items():
        for column in required:
            assert f"| `{column}` | yes |" in schemas, f"raw {kind}: {column} not marked required"


def test_measurements_say_date_and_machine():
    benchmarks = (DOCS / "benchmarks.md").read_text(encoding="utf-8")
    assert "2026-12-01" in benchmarks and "2-core x86-64" in benchmarks
    assert "2 min 25 s" in benchmarks and "5 min 28 s" in benchmarks and "568 tests" in benchmarks


def _executed_or_plain_notebooks() -> Path:
    """reports/ when the last run executed every notebook, else the pairs' .ipynb (no outputs):
    the link check needs the pages, not the outputs, and running the suite here would take minutes."""
    reports = PROJECT_ROOT / "reports"
    stems = [p.stem for p in (PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")]
    return reports if all((reports / f"{s}.ipynb").is_file() for s in stems) else PROJECT_ROOT / "notebooks"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("docs")
    out = root / "html"
    result = subprocess.run(
        [sys.executable, str(DOCS / "build_site.py"), "--reports", str(_executed_or_plain_notebooks()),
         "--out", str(out), "--source", str(root / "source")],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    return out


@pytest.mark.slow
def test_site_has_every_page_and_notebook(site):
    for page in (*PAGES, "index", "ledger", *(f"notebooks/{p.stem}" for p in (PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))):
        assert (site / f"{page}.html").is_file(), page


@pytest.mark.slow
@pytest.mark.browser
def test_site_opens_in_headless_chromium_with_no_broken_internal_link(site):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("headless Chromium is not installed: run `make browser` (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    start = (site / "index.html").resolve()
    ids: dict[Path, set[str]] = {}
    links: list[tuple[Path, str]] = []
    queue, seen = [start], {start}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            while queue:
                current = queue.pop()
                page.goto(current.as_uri(), wait_until="load")
                assert page.title(), f"{current} has no title"
                if current == start:  # Chinese text renders with the site's own font, on any machine
                    page.evaluate("document.fonts.ready.then(() => true)")
                    font_ok = page.evaluate("""() => [...document.fonts].some(f => f.family.replace(/"/g, '') ===
                        'brandrep-cjk' && f.status === 'loaded') && document.fonts.check('16px "brandrep-cjk"', '羊城晚报')""")
                ids[current] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
                for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                    if urlparse(href).scheme != "file":
                        continue  # external addresses are not the site's to keep
                    links.append((current, href))
                    target = Path(unquote(urlparse(urldefrag(href).url).path)).resolve()
                    if target.suffix == ".html" and target.is_file() and target not in seen and \
                            target.is_relative_to(site.resolve()) and "_static" not in target.parts:
                        seen.add(target)
                        queue.append(target)
        finally:
            browser.close()
    assert font_ok
    broken = []
    for source, href in links:
        url, fragment = urldefrag(href)
        target = Path(unquote(urlparse(url).path)).resolve()
        if not target.exists():
            broken.append(f"{source.name}: {href} (no such file)")
        elif fragment and target in ids and unquote(fragment) not in ids[target]:
            broken.append(f"{source.name}: {href} (no #{fragment} there)")
    assert broken == []
    names = {path.relative_to(site.resolve()).as_posix() for path in seen}
    assert {f"{page}.html" for page in PAGES} <= names
    assert any(name.startswith("notebooks/") for name in names) and "ledger.html" in names


def test_every_path_the_pages_name_exists():
    pattern = r"`((?:notebooks|data|figures|src|tests|benchmarks|scripts|docs)/[^`*\s]*)`"
    missing = []
    for page in sorted(DOCS.glob("*.md")):
        for path in set(re.findall(pattern, page.read_text(encoding="utf-8"))):
            if not path.startswith("docs/_build") and "NN" not in path and not (PROJECT_ROOT / path.rstrip("/")).exists():
                missing.append(f"{page.name}: {path}")
    assert missing == []
