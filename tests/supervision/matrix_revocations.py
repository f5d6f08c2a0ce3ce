"""Access-matrix entries of supervision/revocations, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs.

Cases are read by the programme's three offices; committee staff (and the administrator) open,
propose, dismiss, recall and add evidence; only the administrator decides and publishes the
year's notice. The notices, their pages and PDFs are public.
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

_case = {"kwargs": lambda w, x: {"pk": x["revocation_case"].pk}}
_notice = {"kwargs": lambda w, x: {"pk": x["discipline_notice"].pk}}
# An empty POST is refused with a message and sent back to the case.
_move = {**_case, "GET": status(405), "POST": only(AA, CS, ok=302)}

MATRIX: dict = {
    "supervision:revocation_list": {"GET": only(AA, CS, WD), "POST": only(AA, CS, WD)},
    "supervision:revocation_recall_list": {"GET": only(AA, CS, WD), "POST": only(AA, CS, WD)},
    "supervision:revocation_detail": {**_case, "GET": only(AA, CS, WD), "POST": only(AA, CS, WD)},
    "supervision:revocation_propose": _move,
    "supervision:revocation_dismiss": _move,
    "supervision:revocation_recall": _move,
    "supervision:revocation_evidence": _move,
    "supervision:revocation_decide": {**_case, "GET": status(405), "POST": only(AA, ok=302)},
    # An empty form is shown again with its errors.
    "supervision:revocation_open": {
        "kwargs": lambda w, x: {"number": x["revocation_title"].number},
        "GET": only(AA, CS),
        "POST": only(AA, CS),
    },
    "supervision:notice_list": {"GET": PUBLIC, "POST": PUBLIC},
    "supervision:notice_publish": {"GET": only(AA), "POST": only(AA)},
    "supervision:notice_detail": {**_notice, "GET": PUBLIC, "POST": PUBLIC},
    "supervision:notice_pdf": {**_notice, "GET": PUBLIC, "POST": status(405)},
}


def extras(world, x) -> dict:
    """Titles of an earlier campaign: one with a case opened, one free for a new case, one
    revoked and listed in this year's published notice."""
    from manyi.accounts.roles import Role
    from manyi.supervision.revocations.notices import publish_annual_notice
    from tests.reviews.factories import granted_title
    from tests.supervision.factories_revocations import opened_case, revoked_case
    from tests.titles.decision_helpers import past_campaign

    campaign = past_campaign()
    case = opened_case(world, title=granted_title(world, campaign=campaign))
    revoked = revoked_case(world, title=granted_title(world, campaign=campaign))
    notice = publish_annual_notice(
        year=revoked.effective_on.year, by=world.users[Role.ASSOCIATION_ADMIN]
    )
    return {
        "revocation_case": case,
        "revocation_title": granted_title(world, campaign=campaign),
        "discipline_notice": notice,
    }
