"""Access-matrix entries of training, merged into tests/access_matrix.py."""

from tests.access_matrix_roles import AG, EN, PROGRAMME, only

MATRIX: dict = {
    "training:index": {"GET": only(*PROGRAMME, AG, EN), "POST": only(*PROGRAMME, AG, EN)},
}


def extras(world, x) -> dict:
    return {}
