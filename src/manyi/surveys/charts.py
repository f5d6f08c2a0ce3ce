"""The report's charts as SVG, for the PDF (the page draws the same data with ECharts).

Plain SVG strings: WeasyPrint renders them as vectors, with the same Chinese font as the text.
"""

from xml.sax.saxutils import escape

from manyi.surveys.report import Report, skips_a_column

FONT = "font-family=\"'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif\""
RED = "#9b1b1f"
GREY = "#6c757d"


def _svg(width: int, height: int, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT} font-size="11">' + "".join(body) + "</svg>"
    )


def index_bars(report: Report, width: int = 640) -> str:
    """Horizontal bars of each latent variable's index with its 95% interval as a whisker."""
    row, left, right = 26, 130, 50
    height = row * len(report.lvs) + 40
    scale = (width - left - right) / 100
    body = [f'<line x1="{left}" y1="10" x2="{left}" y2="{height - 25}" stroke="{GREY}"/>']
    for tick in range(0, 101, 20):
        x = left + tick * scale
        body.append(
            f'<line x1="{x:.1f}" y1="{height - 25}" x2="{x:.1f}" y2="{height - 21}" stroke="{GREY}"/>'
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="{GREY}">{tick}</text>'
        )
    for i, lv in enumerate(report.lvs):
        y = 14 + i * row
        value = lv["index"] or 0
        body.append(
            f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(lv["label"])}</text>'
        )
        body.append(
            f'<rect x="{left}" y="{y + 2}" width="{max(value, 0) * scale:.1f}" height="16" fill="{RED}" opacity="0.85"/>'
        )
        if lv["interval"]:
            lo, hi = (max(0, min(100, v)) * scale + left for v in lv["interval"])
            body.append(
                f'<line x1="{lo:.1f}" y1="{y + 10}" x2="{hi:.1f}" y2="{y + 10}" stroke="#222" stroke-width="1.5"/>'
                f'<line x1="{lo:.1f}" y1="{y + 5}" x2="{lo:.1f}" y2="{y + 15}" stroke="#222"/>'
                f'<line x1="{hi:.1f}" y1="{y + 5}" x2="{hi:.1f}" y2="{y + 15}" stroke="#222"/>'
            )
        body.append(
            f'<text x="{left + max(value, 0) * scale + 6:.1f}" y="{y + 14}" font-weight="bold">{value:.1f}</text>'
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
            f'<text x="{mx:.1f}" y="{my + 3:.1f}" text-anchor="middle" font-size="10">{p["coef"]:.2f}</text>'
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


def ipa_chart(report: Report, width: int = 640, height: int = 320) -> str:
    """Importance (total effect on the target) against performance (index), split at the means."""
    points = [
        r
        for r in report.ipa
        if r.get("importance") is not None and r.get("performance") is not None
    ]
    left, bottom, top, right = 60, 40, 15, 20
    if not points:
        return _svg(width, 40, ['<text x="10" y="25">—</text>'])
    xs = [p["importance"] for p in points]
    ys = [p["performance"] for p in points]
    x0, x1 = min(0.0, min(xs)), max(xs) * 1.15 or 1
    y0, y1 = max(0, min(ys) - 5), min(100, max(ys) + 5)
    sx = lambda v: left + (v - x0) / ((x1 - x0) or 1) * (width - left - right)  # noqa: E731
    sy = lambda v: height - bottom - (v - y0) / ((y1 - y0) or 1) * (height - bottom - top)  # noqa: E731
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    body = [
        f'<rect x="{left}" y="{top}" width="{width - left - right}" height="{height - top - bottom}" fill="none" stroke="{GREY}"/>',
        f'<line x1="{sx(mx):.1f}" y1="{top}" x2="{sx(mx):.1f}" y2="{height - bottom}" stroke="{GREY}" stroke-dasharray="4 3"/>',
        f'<line x1="{left}" y1="{sy(my):.1f}" x2="{width - right}" y2="{sy(my):.1f}" stroke="{GREY}" stroke-dasharray="4 3"/>',
        f'<text x="{(width + left) / 2:.1f}" y="{height - 8}" text-anchor="middle">{escape(_label("x"))}</text>',
        f'<text x="14" y="{(height - bottom + top) / 2:.1f}" text-anchor="middle" transform="rotate(-90 14 {(height - bottom + top) / 2:.1f})">{escape(_label("y"))}</text>',
    ]
    for p in points:
        body.append(
            f'<circle cx="{sx(p["importance"]):.1f}" cy="{sy(p["performance"]):.1f}" r="5" fill="{RED}"/>'
            f'<text x="{sx(p["importance"]) + 8:.1f}" y="{sy(p["performance"]) + 4:.1f}">{escape(p["label"])}</text>'
        )
    return _svg(width, height, body)


def _label(axis: str) -> str:
    from django.utils.translation import gettext as _

    return _("重要性（对满意度的总效应）") if axis == "x" else _("表现（指数）")
