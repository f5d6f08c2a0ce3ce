"""Access-matrix entries of supervision/spotchecks, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs.

The programme's three offices read spot checks; the work department acts (the administrator
may stand in); committee staff only read. Empty POSTs: the plan form and the record form are
shown again with their errors (200); the other acts are refused with a message and sent back
(302): the draw of a planned check succeeds, the rest have nothing to act on.
"""

from tests.access_matrix_roles import (  # noqa: F401 - for the entries
    AA,
    AG,
    CS,
    EN,
    EX,
    POST_ONLY,
    PUBLIC,
    WD,
    only,
    status,
)

_check = {"kwargs": lambda w, x: {"pk": x["spot_check"].pk}}
_planned = {"kwargs": lambda w, x: {"pk": x["spot_check_planned"].pk}}
_item = {"kwargs": lambda w, x: {"pk": x["spot_item"].pk}}
GET_ONLY = status(405)

MATRIX: dict = {
    "supervision:spotcheck_list": {"GET": only(AA, CS, WD), "POST": GET_ONLY},
    "supervision:spotcheck_create": {"GET": only(AA, WD), "POST": only(AA, WD)},
    "supervision:spotcheck_detail": {**_check, "GET": only(AA, CS, WD), "POST": GET_ONLY},
    "supervision:spotcheck_draw": {**_planned, "GET": POST_ONLY, "POST": only(AA, WD, ok=302)},
    "supervision:spotcheck_close": {**_check, "GET": POST_ONLY, "POST": only(AA, WD, ok=302)},
    "supervision:spotcheck_item": {**_item, "GET": only(AA, CS, WD), "POST": GET_ONLY},
    "supervision:spotcheck_record": {**_item, "GET": POST_ONLY, "POST": only(AA, WD)},
    "supervision:spotcheck_rectified": {
        **_item,
        "GET": POST_ONLY,
        "POST": only(AA, WD, ok=302),
    },
    "supervision:spotcheck_revoke": {**_item, "GET": POST_ONLY, "POST": only(AA, WD, ok=302)},
}


def extras(world, x) -> dict:
    """A planned check of agencies, and a drawn check of title holders (one title of an
    earlier campaign) with its item still to record."""
    from tests.supervision.factories_spotchecks import drawn_check, planned_check

    planned = planned_check(world, population="agencies", size=1)
    drawn = drawn_check(world, titles=1)
    return {
        "spot_check_planned": planned,
        "spot_check": drawn,
        "spot_item": drawn.items.get(),
    }
