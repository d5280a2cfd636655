"""The house style: one look for every brandrep chart, in print and on the web.

Why these choices:
- Colours are the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), which stays
  distinguishable for the common colour-vision deficiencies; every series also differs by marker
  or line style, so a chart still reads when printed in greyscale.
- Type sizes follow newsroom practice: a title that says what the chart shows, a grey subtitle
  that says what is plotted and over which period, and under the plot the notes and a source line.
- The figure has a fixed width (``FIG_WIDTH_IN`` inches, so PNGs are exactly ``PNG_WIDTH_PX``
  pixels wide) and a height that grows with the text, laid out in inches rather than by
  ``bbox_inches='tight'``, which would change the pixel width from chart to chart.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from brandrep.charts.fonts import font_families
from brandrep.charts.strings import check_language, label

# Okabe-Ito colours, by role.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
HIGHLIGHT = OKABE_ITO["vermillion"]  # the brand the chart is about
PEER = OKABE_ITO["blue"]  # every other brand
REFERENCE = "#555555"  # reference lines (diagonal, R = 1, p = 0.05)
MUTED = "#8C8C8C"  # secondary marks, plain limits
TEXT_GREY = "#4D4D4D"
SERIES = [OKABE_ITO[name] for name in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "black")]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]

# Geometry (inches) and type sizes (points).
FIG_WIDTH_IN = 7.5
PNG_WIDTH_PX = 1200
PNG_DPI = PNG_WIDTH_PX / FIG_WIDTH_IN  # 160
HEIGHT_STEP_IN = 1 / 32  # heights are multiples of this, so pixel heights are whole numbers
MARGIN_LEFT_IN = 0.95
MARGIN_RIGHT_IN = 0.3
TEXT_LEFT_IN = 0.25
TOP_PAD_IN = 0.22
PLOT_TOP_GAP_IN = 0.3
PLOT_BOTTOM_IN = 0.62  # room for x tick labels and the x-axis label
FOOT_PAD_IN = 0.18
TITLE_SIZE = 15
SUBTITLE_SIZE = 10.5
LABEL_SIZE = 9.5
TICK_SIZE = 9
NOTE_SIZE = 8
LINE_SPACING = 1.3


def rc_params() -> dict:
    """matplotlib settings of the house style (applied per figure; the user's defaults are left alone)."""
    return {
        "font.family": font_families(),
        "font.size": TICK_SIZE,
        "axes.titlesize": LABEL_SIZE,
        "axes.labelsize": LABEL_SIZE,
        "axes.labelcolor": TEXT_GREY,
        "axes.edgecolor": "#333333",
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.axisbelow": True,
        "grid.color": "#DDDDDD",
        "grid.linewidth": 0.6,
        "xtick.labelsize": TICK_SIZE,
        "ytick.labelsize": TICK_SIZE,
        "xtick.color": "#333333",
        "ytick.color": "#333333",
        "legend.fontsize": NOTE_SIZE + 0.5,
        "legend.frameon": False,
        "lines.linewidth": 1.6,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        # Noto Sans CJK has the true minus sign, so keep typographic minus.
        "axes.unicode_minus": True,
    }


class ChartFigure(Figure):
    """A Figure that shows itself as a PNG in Jupyter whatever the matplotlib backend.

    Chart figures are not attached to pyplot (nothing leaks between charts), and ``brandrep run``
    executes notebooks with the Agg backend, where a bare Figure would display as text only.
    """

    DISPLAY_DPI = 100

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        with matplotlib.rc_context(rc_params()):
            self.savefig(buffer, format="png", dpi=self.DISPLAY_DPI, metadata={"Software": None})
        return buffer.getvalue()


@dataclass
class ChartInfo:
    """What a chart function drew, carried on the figure so the save helper can file it."""

    chart: str  # strings-table name of the chart (also the file stem)
    lang: str
    function: str
    title: str = ""
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)
    source: str = ""
    data: pd.DataFrame | None = None  # the plotted numbers, written beside the figure
    sparse: list[str] = field(default_factory=list)  # what the chart says about too little data


def new_figure(chart: str, lang: str, function: str, *, nrows: int = 1, ncols: int = 1,
               plot_height_in: float = 3.6, **subplot_kw) -> tuple[Figure, object]:
    """A house-style figure (not attached to pyplot, so nothing leaks between charts)."""
    check_language(lang, chart)
    with matplotlib.rc_context(rc_params()):
        fig = ChartFigure(figsize=(FIG_WIDTH_IN, plot_height_in + 2), dpi=PNG_DPI)
        axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    fig.brandrep = ChartInfo(chart=chart, lang=lang, function=function)
    fig._brandrep_plot_height_in = plot_height_in
    return fig, axes


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_NO_LINE_START = set("，。、；：？！）》」』】”’%％,.;:!?)")
_NO_LINE_END = set("（《「『【“‘(")


def _tokens(text: str) -> list[str]:
    """Break points for wrapping: each CJK character, or a Latin word with its trailing space.

    A Chinese name from the strings table (小米, 智能门锁) stays one token, so no line break
    cuts it in two.
    """
    from brandrep.charts.layout import chinese_terms

    terms = sorted(chinese_terms(), key=len, reverse=True)
    if terms:
        pattern = "|".join(re.escape(term) for term in terms)
        pieces = re.split(f"({pattern})", text)
        return [token for i, piece in enumerate(pieces)
                for token in ([piece] if i % 2 else _char_tokens(piece)) if token]
    return _char_tokens(text)


def _char_tokens(text: str) -> list[str]:
    return re.findall(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+\s*|\s+", text)


_MEASURER = None


def _text_width_pt(text: str, size: float) -> float:
    global _MEASURER
    if _MEASURER is None:
        _MEASURER = RendererAgg(10, 10, 72)  # at 72 dpi one pixel is one point
    prop = FontProperties(family=font_families(), size=size)
    width, _, _ = _MEASURER.get_text_width_height_descent(text, prop, ismath=False)
    return width


def wrap(text: str, size: float, width_in: float) -> list[str]:
    """Greedy wrap measured with the real font, breaking between CJK characters or Latin words."""
    # 3% slack: the measured width of mixed CJK/Latin lines (τ², full-width brackets) runs a little
    # short of the drawn width, which put the DOT funnel's zh note on the figure's last pixel.
    budget = width_in * 72 * 0.97
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            candidate = line + token
            if line and token[0] not in _NO_LINE_START and _text_width_pt(candidate.rstrip(), size) > budget:
                carry = ""
                while line and line[-1] in _NO_LINE_END:  # an opening bracket moves to the next line
                    carry, line = line[-1] + carry, line[:-1]
                lines.append(line.rstrip())
                line = carry + token.lstrip()
            else:
                line = candidate
        lines.append(line.rstrip())
    return lines


def label_margin_in(labels, size: float = TICK_SIZE, extra_in: float = 0.2) -> float:
    """Left margin that fits the widest of ``labels`` (category tick labels), at least the default."""
    widest = max((_text_width_pt(str(text), size) for text in labels), default=0.0) / 72
    # the labels start TEXT_LEFT_IN from the edge, like the title: never touching it
    return max(MARGIN_LEFT_IN, TEXT_LEFT_IN + widest + extra_in)


def contains_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def finish_figure(fig: Figure, *, title: str, subtitle: str, notes: list[str], source: str,
                  data: pd.DataFrame, hspace_in: float = 0.35, plot_bottom_in: float = PLOT_BOTTOM_IN,
                  margin_left_in: float = MARGIN_LEFT_IN) -> Figure:
    """Add title, subtitle, notes and source line, and lay the figure out in inches."""
    info: ChartInfo = fig.brandrep
    info.title, info.subtitle, info.notes, info.source = title, subtitle, list(notes), source
    info.data = data.reset_index(drop=True)
    lang = info.lang
    text_width = FIG_WIDTH_IN - 2 * TEXT_LEFT_IN
    title_lines = wrap(title, TITLE_SIZE, text_width)
    subtitle_lines = wrap(subtitle, SUBTITLE_SIZE, text_width) if subtitle else []
    note_prefix = label(info.chart, "notes_prefix", lang)
    source_prefix = label(info.chart, "source_prefix", lang)
    separator = "" if lang == "zh" else " "
    foot_lines = wrap(note_prefix + separator.join(notes), NOTE_SIZE, text_width) if notes else []
    source_lines = wrap(source_prefix + source, NOTE_SIZE, text_width)

    def block(lines, size):
        return len(lines) * size * LINE_SPACING / 72

    header = TOP_PAD_IN + block(title_lines, TITLE_SIZE) + 0.06 + block(subtitle_lines, SUBTITLE_SIZE)
    footer = block(foot_lines, NOTE_SIZE) + 0.04 + block(source_lines, NOTE_SIZE) + FOOT_PAD_IN
    plot_height = fig._brandrep_plot_height_in
    height = header + PLOT_TOP_GAP_IN + plot_height + plot_bottom_in + footer
    height = round(height / HEIGHT_STEP_IN) * HEIGHT_STEP_IN
    fig.set_size_inches(FIG_WIDTH_IN, height)
    rows = fig.axes[0].get_subplotspec().get_gridspec().nrows if fig.axes else 1
    fig.subplots_adjust(
        left=margin_left_in / FIG_WIDTH_IN,
        right=1 - MARGIN_RIGHT_IN / FIG_WIDTH_IN,
        top=1 - (header + PLOT_TOP_GAP_IN) / height,
        bottom=(footer + plot_bottom_in) / height,
        hspace=hspace_in / (plot_height / max(rows, 1)),
    )
    x = TEXT_LEFT_IN / FIG_WIDTH_IN

    def put(lines, top_in, size, color):
        if not lines:
            return top_in
        fig.text(x, 1 - top_in / height, "\n".join(lines), ha="left", va="top", fontsize=size,
                 color=color, linespacing=LINE_SPACING, family=font_families())
        return top_in + block(lines, size)

    y = put(title_lines, TOP_PAD_IN, TITLE_SIZE, "#111111") + 0.06
    put(subtitle_lines, y, SUBTITLE_SIZE, TEXT_GREY)
    y = height - footer
    y = put(foot_lines, y, NOTE_SIZE, TEXT_GREY) + 0.04
    put(source_lines, y, NOTE_SIZE, TEXT_GREY)
    return fig


def note_if_sparse(ax, chart: str, lang: str, *, n_points: int, n_intervals: int | None = None) -> list[str]:
    """Say on the chart that its data has no point, one point or no interval.

    A frame with one dot (or none) and no bars reads as a drawing error; the message says what
    the data hold instead: centred in an empty frame, else above the plot, where it hides no mark.
    Returns the messages (also kept on ``fig.brandrep.sparse`` for tests and captions).
    """
    keys = []
    if n_points == 0:
        keys.append("sparse_no_points")
    elif n_points == 1:
        keys.append("sparse_one_point")
    if n_points > 0 and n_intervals == 0:
        keys.append("sparse_no_interval")
    messages = [label(chart, key, lang) for key in keys]
    if messages:
        text = ("" if lang == "zh" else " ").join(messages)
        if n_points == 0:
            ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=LABEL_SIZE,
                    color=TEXT_GREY)
        else:
            ax.set_title(text, loc="left", fontsize=NOTE_SIZE + 0.5, color=TEXT_GREY, pad=4)
        info = getattr(ax.figure, "brandrep", None)
        if info is not None:
            info.sparse = messages
    return messages


def all_text(fig: Figure) -> list[str]:
    """Every string drawn on the figure (used to pick the SVG text mode and in tests)."""
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return [t for t in texts if t]


def house_style(function):
    """Run a chart function inside the house style and return its finished figure.

    Tick objects are created lazily and read matplotlib's settings when they are made, so they
    are made here, inside the style, rather than later when a notebook displays the figure.
    """
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        check_language(kwargs.get("lang", "en"), kwargs.get("chart") or function.__name__)
        with matplotlib.rc_context(rc_params()):
            fig = function(*args, **kwargs)
            from brandrep.charts.layout import place_point_labels

            place_point_labels(fig)
            for ax in fig.axes:
                for axis in (ax.xaxis, ax.yaxis):
                    axis.get_major_ticks()
                    axis.get_minor_ticks()
        return fig

    return wrapper
