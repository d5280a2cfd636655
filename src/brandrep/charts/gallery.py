"""figures/index.html: a static page where editors see every chart and pick the file they need.

No server and no scripts: open the file in any browser. Each chart shows its titles in both
languages, both images, the source line, links to every format and to the data it plots, and
the notebook and function that made it. Links are relative and stay inside the folder, so
``figures/`` can be copied, mailed or served on its own: the input tables a chart was made from
(``data/processed/...``, outside the folder) are named as text, never linked, since a link out
of the folder breaks as soon as the folder is shipped alone; the numbers each chart plots are
linked, as they ship beside it (``NAME.csv``).
The page holds no date or machine name, so it is byte-identical on rerun.

The page's own Chinese text (titles, captions) must not turn into boxes on a machine without a
Chinese font (a fresh Linux box, CI's headless Chromium), so the page carries a subset of the
same Noto Sans CJK SC the charts use (SIL Open Font License, which allows embedding), holding
only the characters on the page, as a WOFF data URI in its style sheet (fontTools, a matplotlib
dependency, does the subsetting; the font's timestamp is kept, so the bytes do not change).
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Iterable

from brandrep.charts.fonts import cjk_font_path
from brandrep.charts.manifest import MANIFEST_STEM
from brandrep.charts.save import FORMAT_NAMES, SavedChart
from brandrep.charts.strings import LANGUAGES
from brandrep.charts.style import PNG_WIDTH_PX
from brandrep.io.writing import write_text
from brandrep.paths import figures_dir

FORMAT_LABELS = {"png": f"PNG {PNG_WIDTH_PX}px", "png@2x": f"PNG {2 * PNG_WIDTH_PX}px (@2x)", "svg": "SVG", "pdf": "PDF"}
LANGUAGE_LABELS = {"zh": "中文", "en": "English"}

WEB_FONT_FAMILY = "brandrep-cjk"
STYLE = """
body { font-family: "brandrep-cjk", "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem auto; max-width: 1280px; padding: 0 1rem; color: #1a1a1a; line-height: 1.5; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
section { border-top: 1px solid #ccc; padding: 1.2rem 0; }
h2 { font-size: 1.2rem; margin: 0; }
h2 + p.zh { font-size: 1.1rem; margin: 0.1rem 0 0.6rem; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; flex: 1 1 560px; }
figure img { width: 100%; height: auto; border: 1px solid #eee; }
figcaption, .meta, .links { font-size: 0.85rem; color: #444; }
.links a { margin-right: 0.6rem; }
code { font-size: 0.8rem; }
""".strip()


def web_font_css(text: str) -> str:
    """An @font-face rule embedding the CJK font, subset to the characters of ``text``."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]
    font = subset.load_font(str(cjk_font_path()), options, dontLoadGlyphNames=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(ch) for ch in text if ord(ch) >= 32} | set(range(32, 127))))
    subsetter.subset(font)
    font.recalcTimestamp = False  # keep the font's own date: the page must not change on rerun
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'@font-face {{ font-family: "{WEB_FONT_FAMILY}"; font-style: normal; font-weight: 400;\n'
            f'  src: url(data:font/woff;base64,{data}) format("woff"); }}')


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def _data_file_html(path: str) -> str:
    """An input table, named (not linked: it lives outside the figures folder)."""
    return f"<code>{html.escape(path)}</code>"


def gallery_html(saved: Iterable[SavedChart], folder: Path) -> str:
    charts = list(saved)  # in the order the notebook made them: the order of the analysis
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>brandrep charts · 图表</title>",
        "<style>\n@FONT_FACE@\n" + STYLE + "\n</style>",
        "</head>",
        "<body>",
        "<h1>brandrep charts · 图表</h1>",
        f'<p class="meta">{len(charts)} charts, each in Chinese and English as PNG, SVG and PDF, '
        f"with the data it plots. Checksums and provenance: {_link(MANIFEST_STEM + '.csv', 'manifest.csv')}.</p>",
        '<ol class="meta">',
        *(f'<li>{_link("#" + chart.name, chart.titles.get("en", chart.name))} · '
          f'<span lang="zh-Hans">{html.escape(chart.titles.get("zh", ""))}</span></li>' for chart in charts),
        "</ol>",
    ]
    for chart in charts:
        parts.append(f'<section id="{html.escape(chart.name, quote=True)}">')
        parts.append(f"<h2>{html.escape(chart.titles.get('en', chart.name))}</h2>")
        parts.append(f'<p class="zh" lang="zh-Hans">{html.escape(chart.titles.get("zh", ""))}</p>')
        parts.append('<div class="figures">')
        for lang in LANGUAGES:
            png = chart.files.get((lang, "png"))
            if not png:
                continue
            png2 = chart.files.get((lang, "png@2x"))
            srcset = f' srcset="{html.escape(png, quote=True)} 1x, {html.escape(png2, quote=True)} 2x"' if png2 else ""
            parts.append(f'<figure lang="{"zh-Hans" if lang == "zh" else "en"}">')
            parts.append(f'<img src="{html.escape(png, quote=True)}"{srcset} '
                         f'alt="{html.escape(chart.titles.get(lang, chart.name), quote=True)}">')
            links = " ".join(_link(chart.files[(lang, fmt)], FORMAT_LABELS[fmt])
                             for fmt in FORMAT_NAMES if (lang, fmt) in chart.files)
            parts.append(f"<figcaption>{LANGUAGE_LABELS[lang]}: {html.escape(chart.subtitles.get(lang, ''))}"
                         f"<br>{html.escape(chart.sources.get(lang, ''))}"
                         f'<br><span class="links">{links}</span></figcaption>')
            parts.append("</figure>")
        parts.append("</div>")
        inputs = ", ".join(_data_file_html(path) for path in chart.data_files) or "—"
        parts.append(f'<p class="meta">Data plotted · 图表数据: {_link(chart.data_file, chart.data_file)}'
                     f" · inputs: {inputs} · made by <code>{html.escape(chart.function)}</code>"
                     f" in notebook <code>{html.escape(chart.notebook)}</code></p>")
        parts.append("</section>")
    parts += ["</body>", "</html>", ""]
    page = "\n".join(parts)
    return page.replace("@FONT_FACE@", web_font_css(html.unescape(page)), 1)


def write_gallery(saved: Iterable[SavedChart], folder: str | Path | None = None) -> Path:
    """Write ``index.html`` into the figures folder and return its path."""
    folder = Path(folder) if folder is not None else figures_dir()
    target = folder / "index.html"
    write_text(target, gallery_html(list(saved), folder))
    return target
