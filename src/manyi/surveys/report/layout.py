"""Where the path diagram puts each construct (the page and the PDF draw the same layout)."""


def layered_layout(lvs: list[str], paths: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]² for a left-to-right path diagram: a column per causal step."""
    level = dict.fromkeys(lvs, 0)
    for _step in lvs:  # longest path from a source; the model is acyclic
        for a, b in paths:
            level[b] = max(level[b], level[a] + 1)
    columns: dict[int, list[str]] = {}
    for lv in lvs:
        columns.setdefault(level[lv], []).append(lv)
    depth = max(columns) or 1
    layout = {}
    for col, members in columns.items():
        for i, lv in enumerate(members):
            y = (i + 1) / (len(members) + 1)
            if len(members) == 1:
                # A chain drawn on one line hides its arrows behind the boxes: zig-zag it.
                y = 0.2 if col % 2 == 0 else 0.8
            layout[lv] = (col / depth, y)
    return layout


def skips_a_column(report, path: dict) -> bool:
    """A path that jumps over a column would run behind the boxes between: it is drawn curved."""
    columns = sorted({x for x, _y in report.layout.values()})
    step = columns[1] - columns[0] if len(columns) > 1 else 1
    return abs(report.layout[path["to"]][0] - report.layout[path["from"]][0]) > step * 1.5


def curve(report, path: dict) -> float:
    if not skips_a_column(report, path):
        return 0.0
    # Bend towards the middle of the drawing, never off its edge.
    mean_y = (report.layout[path["from"]][1] + report.layout[path["to"]][1]) / 2
    return 0.25 if mean_y > 0.5 else -0.25
