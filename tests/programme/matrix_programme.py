"""Access-matrix entries of programme (annual plan, public site), merged into
tests/access_matrix.py."""

from tests.access_matrix_roles import PUBLIC

MATRIX: dict = {
    "programme:news_list": {"GET": PUBLIC, "POST": PUBLIC},
    "programme:plan_public": {"GET": PUBLIC, "POST": PUBLIC},
}


def extras(world, x) -> dict:
    return {}
