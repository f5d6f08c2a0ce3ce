"""Access-matrix entries of the formal review, merged into tests/access_matrix.py.

The matrix's x["survey"] application is already accepted: the staff's acts are refused with a
message and sent back (302); the applicant's completion is not allowed in that state either.
The work department reads the review page but may not act (403).
"""

from tests.access_matrix_roles import AA, CS, EN, only, status

POST_ONLY = status(405)


def _pk(w, x):
    return {"pk": x["survey"].application_id}


MATRIX: dict = {
    **{
        f"reviews:formal_{name}": {
            "kwargs": _pk,
            "GET": POST_ONLY,
            "POST": only(AA, CS, ok=302),
        }
        for name in ("checks", "notice", "accept", "reject")
    },
    "reviews:formal_complete": {"kwargs": _pk, "GET": POST_ONLY, "POST": only(EN, ok=302)},
}


def extras(world, x) -> dict:
    return {}
