"""Access-matrix entries of diagnostics, merged into tests/access_matrix.py."""

from tests.access_matrix_roles import AG, EN, EX, PROGRAMME, only

MATRIX: dict = {
    "diagnostics:list": {"GET": only(*PROGRAMME, AG, EN, EX), "POST": only(*PROGRAMME, AG, EN, EX)},
}


def extras(world, x) -> dict:
    return {}
