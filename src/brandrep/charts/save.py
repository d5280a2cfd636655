"""Save a chart in every format and both languages, byte-identical on rerun, never half-written.

For a chart named NAME the helper writes, into the ``folder`` the caller names (inside
``brandrep run``, by default, that run's ``brandrep.paths.figures_dir()``):

- ``NAME_zh.png`` / ``NAME_en.png``: web images exactly ``PNG_WIDTH_PX`` (1200) pixels wide,
  and ``NAME_zh@2x.png`` / ``NAME_en@2x.png`` at twice that width for high-density screens;
- ``NAME_zh.svg`` / ``NAME_en.svg``: vector images. Text stays text (editable, searchable) when
  every character is Latin, which any viewer's sans-serif font can draw. Chinese text is stored
  as glyph outlines, because text-as-text would need Noto Sans CJK SC (or another CJK font) on
  the viewer's machine, and browsers or SVG tools without one show empty boxes ("tofu");
- ``NAME_zh.pdf`` / ``NAME_en.pdf``: print files with the font embedded as a subset
  (``pdf.fonttype`` 42, a CID TrueType font), so text stays selectable and prints as drawn;
- ``NAME.csv``: the numbers the chart plots (UTF-8 with BOM), one file for both languages,
  so every figure ships with its data.

Determinism: PNG without the ``Software`` tag, SVG without ``Date`` and with a fixed
``svg.hashsalt`` (element ids), PDF without ``CreationDate``/``ModDate``. Both language versions
are drawn before any file is written, so a missing label stops the chart before it touches the
folder, and every file goes through :func:`brandrep.io.writing.atomic_path`, so an interrupted
run leaves the previous good file in place.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import matplotlib
from matplotlib.figure import Figure

from brandrep.charts.strings import LANGUAGES, check_language
from brandrep.charts.style import PNG_DPI, ChartInfo, all_text, contains_cjk, rc_params
from brandrep.errors import BrandrepError
from brandrep.io.writing import atomic_path, write_table
from brandrep.paths import OUTPUT_ROOT_ENV, figures_dir

SVG_HASHSALT = "brandrep"
# (suffix after NAME_LANG, dpi multiplier, savefig format, fixed metadata)
IMAGE_FORMATS = (
    ("png", ".png", 1, "png", {"Software": None}),
    ("png@2x", "@2x.png", 2, "png", {"Software": None}),
    ("svg", ".svg", 1, "svg", {"Date": None}),
    ("pdf", ".pdf", 1, "pdf", {"CreationDate": None, "ModDate": None}),
)
FORMAT_NAMES = tuple(spec[0] for spec in IMAGE_FORMATS)


@dataclass
class SavedChart:
    """One chart as written: everything the manifest and the gallery need."""

    name: str
    function: str
    notebook: str
    data_files: tuple[str, ...]
    titles: dict[str, str]
    subtitles: dict[str, str]
    sources: dict[str, str]
    # (lang, format) -> file name, relative to the figures folder
    files: dict[tuple[str, str], str] = field(default_factory=dict)
    data_file: str = ""
    folder: Path | None = None
    # lang -> the drawn Figure, for showing inline in a notebook (not part of the manifest)
    figures: dict = field(default_factory=dict, repr=False)


def svg_fonttype(fig: Figure) -> str:
    """'none' (text as text) for all-Latin charts, 'path' (outlines) when any text is Chinese."""
    return "path" if any(contains_cjk(text) for text in all_text(fig)) else "none"


def _write_image(fig: Figure, target: Path, fmt: str, dpi: float, metadata: dict) -> None:
    settings = {**rc_params(), "svg.hashsalt": SVG_HASHSALT, "svg.fonttype": svg_fonttype(fig),
                "pdf.fonttype": 42, "pdf.compression": 6}
    with matplotlib.rc_context(settings), atomic_path(target) as tmp:
        with open(tmp, "wb") as handle:
            fig.savefig(handle, format=fmt, dpi=dpi, metadata=metadata)


def figure_info(fig: Figure, expected_chart: str | None = None) -> ChartInfo:
    info = getattr(fig, "brandrep", None)
    if not isinstance(info, ChartInfo) or info.data is None:
        raise BrandrepError(
            f"chart {expected_chart or '?'}: save needs a figure made by a brandrep.charts function"
        )
    return info


def save_figure(fig: Figure, name: str, folder: Path) -> dict[tuple[str, str], str]:
    """Write one language version of a chart in every image format; returns {(lang, fmt): file}."""
    info = figure_info(fig, name)
    files = {}
    for fmt_name, suffix, scale, fmt, metadata in IMAGE_FORMATS:
        file_name = f"{name}_{info.lang}{suffix}"
        _write_image(fig, folder / file_name, fmt, PNG_DPI * scale, metadata)
        files[(info.lang, fmt_name)] = file_name
    return files


def _run_figures_dir(name: str) -> Path:
    """The current ``brandrep run``'s figures folder; outside a run the caller must name one, so
    exploring from a user's own notebook never writes into the checkout's ``figures/``."""
    if not os.environ.get(OUTPUT_ROOT_ENV):
        raise BrandrepError(
            f"chart {name!r}: name the folder to save into, e.g. save_chart(..., folder='my_figures'); "
            "only `brandrep run` saves into the project's figures/ by default"
        )
    return figures_dir()


def save_chart(function: Callable[..., Figure], *args, name: str | None = None,
               notebook: str = "04_charts", data_files: Sequence[str] = (),
               languages: Iterable[str] = LANGUAGES, folder: str | Path | None = None,
               **kwargs) -> SavedChart:
    """Draw ``function(*args, lang=..., **kwargs)`` in each language and save every format.

    ``name`` is the file stem (default: the chart's name in the strings table). ``data_files`` are
    the input tables the chart read, as paths relative to the project (for the manifest).
    """
    figures = {}
    languages = tuple(languages)
    for lang in languages:
        check_language(lang, name or getattr(function, "__name__", "?"))
        figures[lang] = function(*args, lang=lang, **kwargs)
    infos = {lang: figure_info(fig, name) for lang, fig in figures.items()}
    first = infos[languages[0]]
    name = name or first.chart
    for lang, info in infos.items():
        if not info.data.equals(first.data):
            raise BrandrepError(f"chart {name!r}: the {lang} version plots different numbers")
    folder = Path(folder) if folder is not None else _run_figures_dir(name)
    folder.mkdir(parents=True, exist_ok=True)
    saved = SavedChart(
        name=name,
        function=f"{function.__module__}.{function.__name__}",
        notebook=notebook,
        data_files=tuple(str(path) for path in data_files),
        titles={lang: info.title for lang, info in infos.items()},
        subtitles={lang: info.subtitle for lang, info in infos.items()},
        sources={lang: info.source for lang, info in infos.items()},
        folder=folder,
    )
    for lang, fig in figures.items():
        saved.files.update(save_figure(fig, name, folder))
    write_table(first.data, folder / name, formats=("csv",))
    saved.data_file = f"{name}.csv"
    saved.figures = figures
    return saved


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
