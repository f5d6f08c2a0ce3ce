"""Access-matrix entries of supervision/sanctions, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs.
"""

from tests.access_matrix_roles import (  # noqa: F401 - for the entries
    AA,
    AG,
    CS,
    EN,
    EX,
    PUBLIC,
    WD,
    only,
    status,
)

MATRIX: dict = {}


def extras(world, x) -> dict:
    return {}
