"""Access-matrix entries of agencies, merged into tests/access_matrix.py."""

from tests.access_matrix_roles import AG, PROGRAMME, only

MATRIX: dict = {
    "agencies:list": {"GET": only(*PROGRAMME), "POST": only(*PROGRAMME)},
    "agencies:dashboard": {"GET": only(AG), "POST": only(AG)},
}


def extras(world, x) -> dict:
    return {}
