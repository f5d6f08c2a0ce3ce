"""Access-matrix entries of events, merged into tests/access_matrix.py."""

from tests.access_matrix_roles import PUBLIC

MATRIX: dict = {
    "events:list": {"GET": PUBLIC, "POST": PUBLIC},
}


def extras(world, x) -> dict:
    return {}
