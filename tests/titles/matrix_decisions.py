"""Access-matrix entries of this package, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs (x holds what the
matrix already made: "survey" is an accepted application's survey in the field, …).

The decision pages are programme staff's (the work department reads); the committee proposes,
the association's administrator confirms, returns and releases. An empty POST is refused with
a message and a redirect (302).
"""

from tests.access_matrix_roles import AA, CS, WD, only, status  # noqa: F401 - for the entries


def _category(w, x):
    application = x["decision_application"]
    return {"year": application.campaign.year, "category": application.category}


MATRIX: dict = {
    "titles:decision_index": {"GET": only(AA, CS, WD), "POST": only(AA, CS, WD)},
    "titles:decision_category": {
        "kwargs": _category,
        "GET": only(AA, CS, WD),
        "POST": only(AA, CS, WD),
    },
    "titles:decision_propose": {
        "kwargs": lambda w, x: {"pk": x["decision_application"].pk},
        "GET": status(405),
        "POST": only(AA, CS, ok=302),
    },
    "titles:decision_confirm": {
        "kwargs": lambda w, x: {"pk": x["decision"].pk},
        "GET": status(405),
        "POST": only(AA, ok=302),
    },
    "titles:decision_return": {
        "kwargs": lambda w, x: {"pk": x["decision"].pk},
        "GET": status(405),
        "POST": only(AA, ok=302),
    },
    "titles:decision_release": {
        "kwargs": _category,
        "GET": status(405),
        "POST": only(AA, ok=302),
    },
}


def extras(world, x) -> dict:
    """An evaluated brand application of an earlier campaign with a proposed decision, and a
    second one without (so the release is refused)."""
    from manyi.accounts.roles import Role
    from manyi.titles.decisions.services import propose_decision
    from manyi.titles.models import Proposal
    from tests.titles.decision_helpers import evaluated, past_campaign

    campaign = past_campaign()
    application = evaluated(world, "brand", index=86.0, campaign=campaign)
    evaluated(world, "brand", index=75.0, campaign=campaign)
    decision = propose_decision(
        application=application,
        by=world.users[Role.COMMITTEE_STAFF],
        proposal=Proposal.AWARD,
        reasons="指数达到门槛，专家评审优良",
    )
    return {"decision_application": application, "decision": decision}
