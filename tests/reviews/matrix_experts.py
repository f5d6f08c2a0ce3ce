"""Access-matrix entries of this package, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs (x holds what the
matrix already made: "survey" is an accepted application's survey in the field, …).
"""

from tests.access_matrix_roles import AA, CS, WD, only  # noqa: F401 - for the entries

MATRIX: dict = {}


def extras(world, x) -> dict:
    return {}
