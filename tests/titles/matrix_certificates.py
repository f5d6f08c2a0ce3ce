"""Access-matrix entries of this package, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs (x holds what the
matrix already made: "survey" is an accepted application's survey in the field, …).

The register, the verification page and the REST endpoint are public. A certificate and its
plaque: the applicant's users and programme staff. A title's page: programme staff; its seal
upload: the association's administrator. The decision pack: committee staff and the
administrator.
"""

from tests.access_matrix_roles import (  # noqa: F401 - for the entries
    AA,
    CS,
    EN,
    PROGRAMME,
    PUBLIC,
    WD,
    only,
    status,
)

_number = {"kwargs": lambda w, x: {"number": x["title"].number}}

MATRIX: dict = {
    "titles:register": {"GET": PUBLIC, "POST": status(405)},
    "titles:verify": {**_number, "GET": PUBLIC, "POST": status(405)},
    "titles:certificate": {**_number, "GET": only(*PROGRAMME, EN), "POST": status(405)},
    "titles:plaque": {**_number, "GET": only(*PROGRAMME, EN), "POST": status(405)},
    "titles:title_detail": {**_number, "GET": only(*PROGRAMME), "POST": only(*PROGRAMME)},
    # An empty upload is refused with a message.
    "titles:certificate_seal": {**_number, "GET": status(405), "POST": only(AA, ok=302)},
    "titles:decision_pack": {
        "kwargs": lambda w, x: {"pk": x["title"].application_id},
        "GET": only(AA, CS),
        "POST": status(405),
    },
    "titles_api:title-list": {"GET": PUBLIC, "POST": status(405)},
    "titles_api:title-detail": {**_number, "GET": PUBLIC, "POST": status(405)},
}


def extras(world, x) -> dict:
    """A title of world.enterprise in an earlier campaign (its application awarded)."""
    from tests.reviews.factories import granted_title
    from tests.titles.decision_helpers import past_campaign

    return {
        "title": granted_title(
            world, "service", organisation=world.enterprise, campaign=past_campaign(years_ago=6)
        )
    }
