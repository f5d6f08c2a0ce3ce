"""Shared test cases of the measurement-engine tests (imported by name: this
folder is on sys.path because it has no __init__.py)."""

from __future__ import annotations

#: a small model with every feature: a Mode B block, a single-indicator block,
#: a mediated chain
SMALL_MODEL = {
    "blocks": {
        "X": ["x1", "x2", "x3"],
        "M": ["m1", "m2", "m3", "m4"],
        "Y": ["y1", "y2", "y3"],
        "S": ["s1"],
    },
    "paths": [["X", "M"], ["X", "Y"], ["M", "Y"], ["Y", "S"]],
    "modes": {"X": "B"},
}
SMALL_LOADINGS = {
    "x1": 0.85, "x2": 0.7, "x3": 0.5,
    "m1": 0.9, "m2": 0.8, "m3": 0.7, "m4": 0.6,
    "y1": 0.85, "y2": 0.8, "y3": 0.75,
}  # fmt: skip
SMALL_PATHS = {"X->M": 0.5, "X->Y": 0.3, "M->Y": 0.4, "Y->S": 0.6}
