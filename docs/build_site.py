"""Build the docs site: these pages, the claims ledger and the executed notebooks, with Sphinx.

    python docs/build_site.py [--reports DIR] [--ledger FILE] [--out DIR] [--run-if-missing]

The executed notebooks are the copies `brandrep run` writes to reports/ (papermill's output,
with every cell's output); myst-nb renders them as they are (``nb_execution_mode = "off"``).
With ``--run-if-missing`` and an incomplete reports/ (a fresh clone: reports/ is not committed),
the suite is first run into docs/_build/suite, leaving the checkout's outputs alone. Sphinx runs
with ``-W --keep-going``: every warning fails the build, all of them listed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
PROJECT_ROOT = DOCS.parent
BUILD = DOCS / "_build"


def suite_stems() -> list[str]:
    return sorted(p.stem for p in (PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def missing_reports(reports: Path) -> list[str]:
    return [stem for stem in suite_stems() if not (reports / f"{stem}.ipynb").is_file()]


def run_suite(root: Path) -> None:
    command = [sys.executable, "-m", "brandrep.cli", "run", "--output", str(root), "--no-html", "--no-progress"]
    print("executed notebooks missing; running the suite into", root, file=sys.stderr, flush=True)
    subprocess.run(command, check=True, cwd=PROJECT_ROOT)


def stage(source: Path, reports: Path, ledger: Path) -> None:
    """A fresh Sphinx source folder: conf.py, the pages, ledger.md and notebooks/*.ipynb."""
    if source.exists():
        shutil.rmtree(source)
    (source / "notebooks").mkdir(parents=True)
    for page in [DOCS / "conf.py", *sorted(DOCS.glob("*.md"))]:
        shutil.copyfile(page, source / page.name)
    shutil.copyfile(ledger, source / "ledger.md")
    for stem in suite_stems():
        shutil.copyfile(reports / f"{stem}.ipynb", source / "notebooks" / f"{stem}.ipynb")
    write_cjk_css(source)


def write_cjk_css(source: Path) -> Path:
    """_static/cjk.css: the charts' CJK font, subset to the site's own characters, as the fallback
    of every font stack, so Chinese text shows on a machine without a CJK font (CI's Chromium)."""
    from brandrep.charts.gallery import WEB_FONT_FAMILY, web_font_css

    text = "".join(path.read_text(encoding="utf-8") for path in sorted(source.rglob("*")) if path.suffix in (".md", ".ipynb"))
    stacks = (f'  --pst-font-family-base: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
              f'"{WEB_FONT_FAMILY}", sans-serif;\n'
              f'  --pst-font-family-heading: var(--pst-font-family-base);\n'
              f'  --pst-font-family-monospace: SFMono-Regular, Menlo, Consolas, "Liberation Mono", "{WEB_FONT_FAMILY}", monospace;\n')
    css = source / "_static" / "cjk.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(web_font_css(text) + "\nhtml {\n" + stacks + "}\n", encoding="utf-8")
    return css


def build(reports: Path, ledger: Path, out: Path, source: Path) -> int:
    stage(source, reports, ledger)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "-d",
               str(source.parent / "doctrees"), str(source), str(out)]
    return subprocess.run(command, cwd=PROJECT_ROOT).returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, default=PROJECT_ROOT / "reports",
                        help="folder with the executed notebooks (default reports/)")
    parser.add_argument("--ledger", type=Path, default=PROJECT_ROOT / "data/processed/claims_ledger.md")
    parser.add_argument("--out", type=Path, default=BUILD / "html", help="site folder (default docs/_build/html)")
    parser.add_argument("--source", type=Path, default=BUILD / "source", help="staging folder for Sphinx's sources")
    parser.add_argument("--run-if-missing", action="store_true",
                        help="run the suite into docs/_build/suite when reports/ lacks an executed notebook")
    args = parser.parse_args(argv)
    reports, ledger = args.reports, args.ledger
    if missing_reports(reports) and args.run_if_missing:
        suite_root = BUILD / "suite"
        run_suite(suite_root)
        reports, ledger = suite_root / "reports", suite_root / "data/processed/claims_ledger.md"
    missing = missing_reports(reports)
    if missing:
        print(f"no executed notebook for {', '.join(missing)} in {reports}: run `brandrep run` (or `make all`) "
              "first, or pass --run-if-missing", file=sys.stderr)
        return 2
    code = build(reports, ledger, args.out, args.source)
    if code == 0:
        print(f"site in {args.out / 'index.html'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
