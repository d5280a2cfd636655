"""Layout check for a drawn chart, from matplotlib's rendered bounding boxes.

What an editor would reject at a glance, measured instead of eyeballed:

- two text artists overlap (titles, notes, tick labels, annotations, legend entries);
- a text or the legend runs past the figure edge, or comes within ``EDGE_MARGIN_IN`` of it;
- a text label sits on a data point (a marker);
- a Chinese term from ``chart_strings.csv`` (a brand, category, platform ...) is broken across
  two lines (``智能门/锁``, ``小/米之间``);
- the legend sits on a data mark (a line vertex or segment, a point, a bar), or a text label is
  struck through by a drawn curve (three or more vertices: limit lines, simulated curves).

``layout_problems(fig)`` returns the problems as plain sentences (empty when the chart is
clean), so a test and the chart suite share one check.
"""

from __future__ import annotations

import functools

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

from brandrep.charts.strings import strings_table
from brandrep.charts.style import contains_cjk, rc_params

TOLERANCE_PX = 1.0  # anti-aliasing: boxes that merely touch are not an overlap
# Print and web crops eat the outermost pixels: a text closer to the edge than this looks cut off
# (a tick label at pixel 2, a note ending at pixel 1198 of 1200).
EDGE_MARGIN_IN = 0.1
SAMPLES_PER_SEGMENT = 25


def _visible_texts(fig: Figure, renderer) -> list[Text]:
    texts = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        if box.width <= 0 or box.height <= 0:
            continue
        texts.append(text)
    return [t for t in texts if not _clipped_tick(t, renderer)]


def _clipped_tick(text: Text, renderer) -> bool:
    """Tick labels of ticks outside the axes' view limits are created but never drawn."""
    for ax in text.figure.axes:
        for axis, index in ((ax.xaxis, 0), (ax.yaxis, 1)):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if text in (tick.label1, tick.label2):
                    if not tick.get_visible() or not text.get_visible():
                        return True
                    low, high = sorted(ax.get_xlim() if index == 0 else ax.get_ylim())
                    loc = tick.get_loc()
                    scale = axis.get_scale()
                    if scale == "log" and loc <= 0:
                        return True
                    span = (np.log10(high) - np.log10(low)) if scale == "log" and low > 0 else high - low
                    pos = (np.log10(loc) - np.log10(low)) if scale == "log" and low > 0 else loc - low
                    return not (-1e-9 * max(abs(span), 1) <= pos <= span * (1 + 1e-9))
    return False


def _label(text: Text) -> str:
    return repr(text.get_text().replace("\n", " / ")[:40])


def _shrink(box, px=TOLERANCE_PX):
    return box.x0 + px, box.y0 + px, box.x1 - px, box.y1 - px


def _overlap(a, b) -> bool:
    ax0, ay0, ax1, ay1 = _shrink(a)
    bx0, by0, bx1, by1 = _shrink(b)
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


@functools.lru_cache(maxsize=1)
def chinese_terms() -> frozenset[str]:
    """Short zh names in the strings table (brands, categories, platforms): never to be split."""
    terms = set()
    for values in strings_table().values():
        zh = values.get("zh", "")
        if 2 <= len(zh) <= 8 and contains_cjk(zh) and not any(c in zh for c in " {}，。、；：（）()%"):
            terms.add(zh)
    return frozenset(terms)


def broken_terms(text: str) -> list[str]:
    """Terms from the strings table that a line break in ``text`` cuts in two."""
    if "\n" not in text:
        return []
    joined = text.replace("\n", "")
    breaks, position = set(), 0
    for line in text.split("\n")[:-1]:
        position += len(line)
        breaks.add(position)  # a break sits before joined[position]
    found = []
    for term in chinese_terms():
        start = joined.find(term)
        while start >= 0:
            if any(start < b < start + len(term) for b in breaks):
                found.append(term)
                break
            start = joined.find(term, start + 1)
    return sorted(found)


def _mark_points(ax, renderer) -> list[tuple[str, np.ndarray, bool]]:
    """Display-space points of every data mark: (what, points, is_curve)."""
    marks = []
    for line in ax.get_lines():
        if not line.get_visible() or line.get_label().startswith("_brandrep_reference"):
            continue
        xy = line.get_xydata()
        if xy is None or len(xy) == 0:
            continue
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy) == 0:
            continue
        points = line.get_transform().transform(xy)
        if len(points) > 1 and line.get_linestyle() not in ("None", "", " "):
            t = np.linspace(0, 1, SAMPLES_PER_SEGMENT)[:, None]
            points = np.concatenate([a + t * (b - a) for a, b in zip(points[:-1], points[1:])])
        marks.append((f"line {line.get_label()!r}", points, len(xy) >= 3 and line.get_linestyle() not in ("None", "", " ")))
    for collection in ax.collections:
        if not isinstance(collection, Collection) or not collection.get_visible():
            continue
        offsets = collection.get_offsets()
        if offsets is not None and len(offsets):
            points = collection.get_offset_transform().transform(np.asarray(offsets, dtype=float))
            marks.append(("points", points[np.isfinite(points).all(axis=1)], False))
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_visible() and patch.get_height() != 0:
            box = patch.get_window_extent(renderer)
            xs, ys = np.linspace(box.x0, box.x1, 9), np.linspace(box.y0, box.y1, 9)
            marks.append(("bar", np.array([(x, y) for x in xs for y in ys]), False))
    return marks


def _marker_centres(ax) -> list[tuple[np.ndarray, float]]:
    """Display-space centres of drawn point markers and their radius in pixels."""
    out = []
    for line in ax.get_lines():
        marker = line.get_marker()
        if not line.get_visible() or marker in (None, "None", "none", "", " ") or line.get_markersize() <= 0:
            continue
        xy = line.get_xydata()
        if xy is None or len(xy) == 0:
            continue
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy):
            radius = line.get_markersize() / 2 * ax.figure.dpi / 72
            out.append((line.get_transform().transform(xy), radius))
    return out


def _inside(box, points: np.ndarray, px=TOLERANCE_PX) -> bool:
    if len(points) == 0:
        return False
    x0, y0, x1, y1 = _shrink(box, px)
    return bool(((points[:, 0] > x0) & (points[:, 0] < x1) & (points[:, 1] > y0) & (points[:, 1] < y1)).any())


def layout_problems(fig: Figure) -> list[str]:
    """Every layout defect of a drawn figure, as sentences; empty when the chart is clean."""
    renderer = _renderer(fig)  # resolves tick positions and the legend location as saved
    problems = []
    edge = fig.bbox
    texts = _visible_texts(fig, renderer)
    boxes = [(t, t.get_window_extent(renderer)) for t in texts]
    margin = EDGE_MARGIN_IN * fig.dpi
    for text, box in boxes:
        if box.x0 < edge.x0 - TOLERANCE_PX or box.x1 > edge.x1 + TOLERANCE_PX or \
                box.y0 < edge.y0 - TOLERANCE_PX or box.y1 > edge.y1 + TOLERANCE_PX:
            problems.append(f"text {_label(text)} runs past the figure edge")
        elif box.x0 < edge.x0 + margin or box.x1 > edge.x1 - margin or \
                box.y0 < edge.y0 + margin or box.y1 > edge.y1 - margin:
            problems.append(f"text {_label(text)} touches the figure edge (less than {EDGE_MARGIN_IN} in)")
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            if _overlap(box_a, box_b):
                problems.append(f"texts {_label(a)} and {_label(b)} overlap")
    lang = getattr(getattr(fig, "brandrep", None), "lang", None)
    if lang == "zh":
        for text in texts:
            for term in broken_terms(text.get_text()):
                problems.append(f"text {_label(text)} breaks the term {term!r} across lines")
    for ax in fig.axes:
        marks = _mark_points(ax, renderer)
        legends = [child for child in ax.get_children() if isinstance(child, Legend)]
        for legend in legends:
            box = legend.get_window_extent(renderer)
            if box.x0 < edge.x0 - TOLERANCE_PX or box.x1 > edge.x1 + TOLERANCE_PX or \
                    box.y0 < edge.y0 - TOLERANCE_PX or box.y1 > edge.y1 + TOLERANCE_PX:
                problems.append("the legend runs past the figure edge")
            for what, points, _ in marks:
                if _inside(box, points):
                    problems.append(f"the legend covers a data mark ({what})")
        centres = _marker_centres(ax)
        for text in ax.texts:
            if text not in texts:
                continue
            box = text.get_window_extent(renderer)
            for what, points, is_curve in marks:
                if is_curve and _inside(box, points, px=2 * TOLERANCE_PX):
                    problems.append(f"text {_label(text)} is struck through by a curve ({what})")
            if any(_inside(box, points) for points, _ in centres):
                problems.append(f"text {_label(text)} covers a data point")
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        if box.x0 < edge.x0 - TOLERANCE_PX or box.x1 > edge.x1 + TOLERANCE_PX:
            problems.append("the figure legend runs past the figure edge")
    return sorted(dict.fromkeys(problems))


# where a point label may go, in points from its point, tried in order: (dx, dy, ha)
LABEL_OFFSETS = ((5, 3, "left"), (5, -10, "left"), (-5, 3, "right"), (-5, -10, "right"), (0, 8, "center"),
                 (0, -15, "center"), (9, 12, "left"), (9, -19, "left"), (-9, 12, "right"), (-9, -19, "right"))


def _renderer(fig: Figure):
    if not hasattr(fig.canvas, "get_renderer"):  # chart figures are not attached to pyplot
        FigureCanvasAgg(fig)
    with matplotlib.rc_context(rc_params()):
        fig.canvas.draw()
    return fig.canvas.get_renderer()


def _label_clashes(text: Text, others, curves, renderer, markers=()) -> bool:
    box = text.get_window_extent(renderer)
    edge = text.figure.bbox
    margin = EDGE_MARGIN_IN * text.figure.dpi
    if box.x0 < edge.x0 + margin or box.x1 > edge.x1 - margin or box.y0 < edge.y0 + margin or box.y1 > edge.y1 - margin:
        return True
    if any(_inside(box, points, px=2 * TOLERANCE_PX) for points in curves):
        return True
    # a point's label stays inside its plot (outside it would sit on the axis and its ticks)
    frame = text.axes.bbox if text.axes is not None else edge
    if box.x0 < frame.x0 - TOLERANCE_PX or box.x1 > frame.x1 + TOLERANCE_PX or \
            box.y0 < frame.y0 - TOLERANCE_PX or box.y1 > frame.y1 + TOLERANCE_PX:
        return True
    # a label keeps clear of every marker, its own included (half a marker plus a hair)
    if any(_inside(box, points, px=-(radius * 0.5)) for points, radius in markers):
        return True
    return any(_overlap(box, other.get_window_extent(renderer)) for other in others if other is not text)


def place_point_labels(fig: Figure) -> Figure:
    """Move each point label (an annotation in offset points) off curves and other texts.

    Tries the positions of ``LABEL_OFFSETS`` around its point and keeps the first that clashes
    with nothing; a label that clashes everywhere stays where the chart put it (the layout
    check then names it).
    """
    renderer = _renderer(fig)
    for ax in fig.axes:
        labels = [t for t in ax.texts if isinstance(t, Annotation) and t.get_visible()
                  and getattr(t, "_textcoords", None) == "offset points" and t.get_text().strip()]
        if not labels:
            continue
        curves = [points for _, points, is_curve in _mark_points(ax, renderer) if is_curve]
        markers = _marker_centres(ax)
        others = [t for t in _visible_texts(fig, renderer)]
        for text in labels:
            if not _label_clashes(text, others, curves, renderer, markers):
                continue
            original = (text.xy, text.xyann, text.get_ha())
            # a reference-line label may also move along its line (ANCHORS: other points on it)
            anchors = [text.xy, *getattr(text, "brandrep_anchors", ())]
            candidates = [(xy, offset) for xy in anchors for offset in LABEL_OFFSETS]
            for xy, (dx, dy, ha) in candidates:
                text.xy, text.xyann = xy, (dx, dy)
                text.set_ha(ha)
                if not _label_clashes(text, others, curves, renderer, markers):
                    break
            else:
                text.xy, text.xyann = original[0], original[1]
                text.set_ha(original[2])
    return fig


__all__ = ["broken_terms", "chinese_terms", "layout_problems", "place_point_labels"]
