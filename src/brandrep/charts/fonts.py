"""The CJK font every chart uses, shipped as a Python package and registered at import.

Chinese labels must render on any machine, including a fresh CI container with no Chinese
system font and no network. mplfonts (a pinned dependency) bundles Noto Sans CJK SC, which
covers Simplified Chinese, Latin and digits, so one font serves both chart languages and a
``_zh`` chart looks like its ``_en`` twin. We register the file itself with matplotlib's font
manager; nothing is looked up on the system and nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager

from brandrep.errors import BrandrepError

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
# Glyphs the CJK font lacks (rare symbols) fall back to matplotlib's own DejaVu Sans.
FALLBACK_FAMILY = "DejaVu Sans"


def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK SC file inside the installed mplfonts package."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise BrandrepError(
            "charts need the CJK font bundled with the 'mplfonts' package, which is not installed; "
            "install the pinned dependencies (make setup)"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise BrandrepError(f"charts: CJK font file missing from the mplfonts package: {path}")
    return path


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Register the bundled CJK font with matplotlib (once) and return its family name."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def font_families() -> list[str]:
    """The family list for ``font.family``: the CJK font first, DejaVu Sans as glyph fallback."""
    # The generic family last: SVG text then ends its font list with "sans-serif", so a viewer
    # without either font still draws Latin text in a sans-serif face.
    return [register_cjk_font(), FALLBACK_FAMILY, "sans-serif"]
