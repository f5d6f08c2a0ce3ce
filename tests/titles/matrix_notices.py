"""Access-matrix entries of this package, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs (x holds what the
matrix already made: "survey" is an accepted application's survey in the field, …).

Notices, the objection form and the objector's follow-up page are public. Objections are
handled by committee staff and the administrator (the work department reads them, without the
objector's name, contact or evidence); an expert sees only those given to them to investigate.
"""

from tests.access_matrix_roles import (  # noqa: F401 - for the entries
    AA,
    CS,
    EX,
    PUBLIC,
    WD,
    only,
    status,
)

_notice = {"kwargs": lambda w, x: {"pk": x["notice"].pk}}
_objection = {"kwargs": lambda w, x: {"pk": x["objection"].pk}}

MATRIX: dict = {
    "titles:notice_list": {"GET": PUBLIC, "POST": PUBLIC},
    "titles:notice_detail": {**_notice, "GET": PUBLIC, "POST": PUBLIC},
    "titles:notice_pdf": {**_notice, "GET": PUBLIC, "POST": status(405)},
    # An empty objection is shown again with its errors.
    "titles:objection_create": {**_notice, "GET": PUBLIC, "POST": PUBLIC},
    "titles:objection_follow": {
        "kwargs": lambda w, x: {"token": x["objection_token"]},
        "GET": PUBLIC,
        "POST": PUBLIC,
    },
    # Before the period ends the grant is refused with a message.
    "titles:notice_grant": {**_notice, "GET": status(405), "POST": only(AA, CS, ok=302)},
    "titles:objection_list": {"GET": only(AA, CS, WD, EX), "POST": only(AA, CS, WD, EX)},
    "titles:objection_detail": {
        **_objection,
        "GET": only(AA, CS, WD) | {EX: 404},
        "POST": only(AA, CS, WD) | {EX: 404},
    },
    "titles:objection_evidence": {
        **_objection,
        "GET": only(AA, CS) | {EX: 404},
        "POST": status(405),
    },
    # Empty: no investigator chosen / none assigned yet, refused with a message.
    "titles:objection_assign": {**_objection, "GET": status(405), "POST": only(AA, CS, ok=302)},
    "titles:objection_decide": {
        **_objection,
        "GET": status(405),
        "POST": only(AA, CS, ok=302) | {EX: 404},
    },
}


def extras(world, x) -> dict:
    """A product 公示 of an earlier campaign, in its period, with an objection with evidence."""
    from tests.titles.decision_helpers import object_to, past_campaign, pdf_upload, released

    notice, winners, _others = released(world, "product", campaign=past_campaign())
    objection, token = object_to(notice, winners[0], evidence=pdf_upload())
    return {"notice": notice, "objection": objection, "objection_token": token}
