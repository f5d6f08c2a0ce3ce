"""The report's charts as SVG, for the PDF (the page draws the same data with ECharts).

Plain SVG strings: WeasyPrint renders them as vectors, with the same Chinese font as the text.
"""

import math
import re
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from manyi.surveys.report import Report, skips_a_column
from manyi.surveys.report.chart_data import ipa_level
from manyi.surveys.report.common import finite
from manyi.surveys.templatetags.measurement_words import num

FONT = "font-family=\"'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif\""
RED = "#9b1b1f"
GREY = "#6c757d"
WIDE = re.compile(r"[\u1100-\uffff]")


def text_width(text: str, size: float = 11) -> float:
    """Roughly how wide ``text`` is drawn: a Chinese character is a square, Latin half that."""
    return sum(size if WIDE.match(ch) else size * 0.56 for ch in text)


def _label(
    x: float, y: float, text: str, *, anchor: str = "start", size: float = 11, bold=False
) -> str:
    """Text on a white box, so that no line drawn behind it strikes through it."""
    width = text_width(text, size) + 4
    left = {"start": x - 2, "end": x - width + 2, "middle": x - width / 2}[anchor]
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<rect x="{left:.1f}" y="{y - size + 1:.1f}" width="{width:.1f}" height="{size + 3:.1f}" '
        f'fill="#fff" fill-opacity="0.9"/>'
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{weight}>{escape(text)}</text>'
    )


def _svg(width: int, height: int, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT} font-size="11">' + "".join(body) + "</svg>"
    )


def index_bars(report: Report, width: int = 640) -> str:
    """Horizontal bars of each latent variable's index with its 95% interval as a whisker."""
    row, left, right = 26, 130, 50
    lvs = report.index_lvs
    height = row * len(lvs) + 40
    scale = (width - left - right) / 100
    body = [f'<line x1="{left}" y1="10" x2="{left}" y2="{height - 25}" stroke="{GREY}"/>']
    for tick in range(0, 101, 20):
        x = left + tick * scale
        body.append(
            f'<line x1="{x:.1f}" y1="{height - 25}" x2="{x:.1f}" y2="{height - 21}" stroke="{GREY}"/>'
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="{GREY}">{tick}</text>'
        )
    for i, lv in enumerate(lvs):
        y = 14 + i * row
        value = lv["index"] if finite(lv["index"]) else 0
        body.append(
            f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(lv["label"])}</text>'
        )
        body.append(
            f'<rect x="{left}" y="{y + 2}" width="{max(value, 0) * scale:.1f}" height="16" fill="{RED}" opacity="0.85"/>'
        )
        end = left + max(value, 0) * scale
        if lv["interval"]:
            lo, hi = (max(0, min(100, v)) * scale + left for v in lv["interval"])
            end = max(end, hi)
            body.append(
                f'<line x1="{lo:.1f}" y1="{y + 10}" x2="{hi:.1f}" y2="{y + 10}" stroke="#222" stroke-width="1.5"/>'
                f'<line x1="{lo:.1f}" y1="{y + 5}" x2="{lo:.1f}" y2="{y + 15}" stroke="#222"/>'
                f'<line x1="{hi:.1f}" y1="{y + 5}" x2="{hi:.1f}" y2="{y + 15}" stroke="#222"/>'
            )
        # The value is written past the whisker's end, never on top of it.
        body.append(
            f'<text x="{end + 5:.1f}" y="{y + 14}" font-weight="bold">{_one(lv["index"])}</text>'
        )
    return _svg(width, height, body)


def path_diagram(report: Report, width: int = 640, height: int = 330) -> str:
    """Latent variables as boxes (with R²), paths as arrows labelled with their coefficients."""
    box_w, box_h, pad = 96, 40, 60
    height = max(height, 200)
    pos = {
        name: (pad + x * (width - 2 * pad), 20 + y * (height - 40))
        for name, (x, y) in report.layout.items()
    }
    body = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>'
    ]
    for p in report.paths:
        (x1, y1), (x2, y2) = pos[p["from"]], pos[p["to"]]
        dx, dy = x2 - x1, y2 - y1
        # Start and end on the boxes' edges, not their centres.
        t = min((box_w / 2) / abs(dx) if dx else 1e9, (box_h / 2) / abs(dy) if dy else 1e9)
        sx, sy, ex, ey = x1 + dx * t, y1 + dy * t, x2 - dx * t, y2 - dy * t
        dash = "" if p["significant"] is not False else ' stroke-dasharray="4 3"'
        mx, my = (sx + ex) / 2, (sy + ey) / 2
        if skips_a_column(report, p):
            # Bow the long path away from the boxes it would otherwise cross.
            cx, cy = mx, my + (-60 if my > height / 2 else 60) * (1 if y1 == y2 else 0.5)
            body.append(
                f'<path d="M {sx:.1f} {sy:.1f} Q {cx:.1f} {cy:.1f} {ex:.1f} {ey:.1f}" fill="none" stroke="#333" '
                f'marker-end="url(#arrow)"{dash}/>'
            )
            mx, my = (sx + 2 * cx + ex) / 4, (sy + 2 * cy + ey) / 4
        else:
            body.append(
                f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#333" marker-end="url(#arrow)"{dash}/>'
            )
        body.append(
            f'<rect x="{mx - 18:.1f}" y="{my - 8:.1f}" width="36" height="14" fill="#fff"/>'
            f'<text x="{mx:.1f}" y="{my + 3:.1f}" text-anchor="middle" font-size="10">{_coef(p["coef"])}</text>'
        )
    for lv in report.lvs:
        x, y = pos[lv["name"]]
        body.append(
            f'<rect x="{x - box_w / 2:.1f}" y="{y - box_h / 2:.1f}" width="{box_w}" height="{box_h}" rx="8" '
            f'fill="#fbeaea" stroke="{RED}"/>'
            f'<text x="{x:.1f}" y="{y - 2:.1f}" text-anchor="middle" font-weight="bold">{escape(lv["label"])}</text>'
        )
        if lv["r2"] is not None:
            body.append(
                f'<text x="{x:.1f}" y="{y + 13:.1f}" text-anchor="middle" font-size="9" fill="{GREY}">R²={lv["r2"]:.2f}</text>'
            )
    return _svg(width, height, body)


def _one(value) -> str:
    return num(value, 1)


def _coef(value) -> str:
    """A path coefficient on its arrow ("—" when the fit left it undefined)."""
    return f"{value:.2f}" if finite(value) else "—"


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]."""
    raw = (hi - lo) / count or 1
    step = 10 ** math.floor(math.log10(raw))
    step = next(m * step for m in (1, 2, 2.5, 5, 10) if m * step >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((hi - first) / step + 1e-9) + 1)]


def ipa_chart(
    report: Report, level: str = "constructs", width: int = 640, height: int = 330
) -> str:
    """Importance (unstandardised total effect on the target) against performance (0–100),
    split at the means of the points drawn; ticks on both axes; labels on white boxes, on the
    side away from the vertical mean line."""
    if not report.ipma:
        return _svg(width, 40, ['<text x="10" y="25">—</text>'])
    data = ipa_level(report.ipma[level])
    points, axes = data["points"], data["axes"]
    if not points:
        return _svg(width, 40, ['<text x="10" y="25">—</text>'])
    left, bottom, top, right = 56, 46, 12, 16
    (x0, x1), (y0, y1) = axes["x"], axes["y"]
    plot_w, plot_h = width - left - right, height - top - bottom

    def sx(v):
        return left + (v - x0) / ((x1 - x0) or 1) * plot_w

    def sy(v):
        return top + plot_h - (v - y0) / ((y1 - y0) or 1) * plot_h

    body = [
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{GREY}"/>'
    ]
    for tick in _ticks(x0, x1):
        x = sx(tick)
        body.append(
            f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 4}" stroke="{GREY}"/>'
            f'<text x="{x:.1f}" y="{top + plot_h + 15}" text-anchor="middle" font-size="9" fill="{GREY}">{tick:g}</text>'
        )
    for tick in _ticks(y0, y1):
        y = sy(tick)
        body.append(
            f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="{GREY}"/>'
            f'<text x="{left - 6}" y="{y + 3:.1f}" text-anchor="end" font-size="9" fill="{GREY}">{tick:g}</text>'
        )
    mx, my = sx(data["mean_importance"]), sy(data["mean_performance"])
    body += [
        f'<line x1="{mx:.1f}" y1="{top}" x2="{mx:.1f}" y2="{top + plot_h}" stroke="{GREY}" stroke-dasharray="4 3"/>',
        f'<line x1="{left}" y1="{my:.1f}" x2="{left + plot_w}" y2="{my:.1f}" stroke="{GREY}" stroke-dasharray="4 3"/>',
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">{escape(report_x_label(report))}</text>',
        f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" transform="rotate(-90 12 {top + plot_h / 2:.1f})">{escape(_("表现（0–100）"))}</text>',
    ]
    for p in points:
        body.append(
            f'<circle cx="{sx(p["importance"]):.1f}" cy="{sy(p["performance"]):.1f}" r="4.5" fill="{RED}"/>'
        )
    placed = place_labels(
        [(sx(p["importance"]), sy(p["performance"]), p["name"]) for p in points],
        box=(left, top, left + plot_w, top + plot_h),
        mean=(mx, my),
    )
    for (x, y, _name), (lx, ly, _anchor) in zip(
        [(sx(p["importance"]), sy(p["performance"]), p["name"]) for p in points],
        placed,
        strict=True,
    ):
        if abs(ly - 4 - y) > 6:
            # Moved away from its point: a thin leader says which point it names.
            body.append(
                f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{lx:.1f}" y2="{ly - 4:.1f}" stroke="#999" stroke-width="0.6"/>'
            )
    for p, (lx, ly, anchor) in zip(points, placed, strict=True):
        body.append(_label(lx, ly, p["name"], anchor=anchor, size=10))
    return _svg(width, height, body)


def place_labels(points, *, box, mean, size: float = 10) -> list[tuple[float, float, str]]:
    """Where to write each point's name: beside it on the side away from the vertical mean
    line (unless that leaves the plot), moved up or down in steps until it overlaps no other
    name, no point and not the horizontal mean line. Returns (x, baseline y, anchor) each."""
    x_lo, y_lo, x_hi, y_hi = box
    mx, my = mean
    taken: list[tuple[float, float, float, float]] = [
        (x - 5, y - 5, x + 5, y + 5) for x, y, _ in points
    ]
    out = []
    for x, y, name in points:
        width = text_width(name, size) + 4
        right = x >= mx
        if right and x + 8 + width > x_hi:
            right = False
        if not right and x - 8 - width < x_lo:
            right = True
        left_edge = x + 6 if right else x - 10 - width
        choice = None
        for step in (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6):
            base = y + 4 + step * (size + 3)
            rect = (left_edge, base - size - 1, left_edge + width, base + 3)
            if rect[1] < y_lo or rect[3] > y_hi:
                continue
            crosses_mean = rect[1] - 1 <= my <= rect[3] + 1
            overlaps = any(
                rect[0] < t[2] and t[0] < rect[2] and rect[1] < t[3] and t[1] < rect[3]
                for t in taken
                if not (t[0] == x - 5 and t[1] == y - 5)  # its own point
            )
            if not crosses_mean and not overlaps:
                choice = (rect, base)
                break
        if choice is None:
            base = y + 4
            choice = ((left_edge, base - size - 1, left_edge + width, base + 3), base)
        taken.append(choice[0])
        out.append((x + 8 if right else x - 8, choice[1], "start" if right else "end"))
    return out


def report_x_label(report: Report) -> str:
    return _("重要性（对%(target)s的非标准化总效应）") % {"target": report.ipma["target_label"]}


def trend_chart(report: Report, width: int = 640, height: int = 220) -> str:
    """The target's index over earlier measurements of the same scope, with 95% whiskers."""
    if not report.trend:
        return ""
    points = report.trend["points"]
    values = [p["target"] for p in points]
    bounds = [v for p in points for v in (p["interval"] or [])] + values
    y0 = max(0.0, math.floor((min(bounds) - 3) / 5) * 5)
    y1 = min(100.0, math.ceil((max(bounds) + 3) / 5) * 5)
    if y1 - y0 < 10:
        y0, y1 = max(0.0, y0 - 5), min(100.0, y1 + 5)
    left, right, top, bottom = 50, 30, 14, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(points), 1)

    def sx(i):
        return left + step * (i + 0.5)

    def sy(v):
        return top + plot_h - (v - y0) / ((y1 - y0) or 1) * plot_h

    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{GREY}"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{GREY}"/>',
    ]
    for tick in _ticks(y0, y1, 4):
        body.append(
            f'<line x1="{left - 4}" y1="{sy(tick):.1f}" x2="{left}" y2="{sy(tick):.1f}" stroke="{GREY}"/>'
            f'<text x="{left - 6}" y="{sy(tick) + 3:.1f}" text-anchor="end" font-size="9" fill="{GREY}">{tick:g}</text>'
        )
    line = " ".join(f"{sx(i):.1f},{sy(v):.1f}" for i, v in enumerate(values))
    body.append(f'<polyline points="{line}" fill="none" stroke="{RED}" stroke-width="2"/>')
    for i, p in enumerate(points):
        x, y = sx(i), sy(p["target"])
        label_y = y - 8
        if p["interval"]:
            lo, hi = sy(p["interval"][0]), sy(p["interval"][1])
            body.append(
                f'<line x1="{x:.1f}" y1="{lo:.1f}" x2="{x:.1f}" y2="{hi:.1f}" stroke="#222"/>'
                f'<line x1="{x - 4:.1f}" y1="{lo:.1f}" x2="{x + 4:.1f}" y2="{lo:.1f}" stroke="#222"/>'
                f'<line x1="{x - 4:.1f}" y1="{hi:.1f}" x2="{x + 4:.1f}" y2="{hi:.1f}" stroke="#222"/>'
            )
            label_y = hi - 5
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{RED}"/>')
        body.append(
            _label(x + 7, max(label_y, top + 10), _one(p["target"]), size=10, bold=p["current"])
        )
        body.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="10">{escape(p["label"])}</text>'
        )
    return _svg(width, height, body)
