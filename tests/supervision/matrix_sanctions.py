"""Access-matrix entries of supervision/sanctions, merged into tests/access_matrix.py.

Violations are read by the programme's three offices and recorded by committee and
work-department staff (and the administrator). Sanctions are decided by the administrator
only; committee staff and the administrator hand a disqualified agency's applications to
another agency. Empty POSTs: a form is shown again with its errors (200), an act is refused
with a message (302).
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

_sanction = {"kwargs": lambda w, x: {"pk": x["sanction"].pk}}
_violation = {"kwargs": lambda w, x: {"pk": x["violation"].pk}}
_application = {"kwargs": lambda w, x: {"pk": x["application"].pk}}

MATRIX: dict = {
    "supervision:sanction_list": {"GET": only(AA, CS, WD), "POST": only(AA, CS, WD)},
    "supervision:sanction_detail": {
        **_sanction,
        "GET": only(AA, CS, WD),
        "POST": only(AA, CS, WD),
    },
    # Empty: no reason given, refused with a message.
    "supervision:sanction_reinstate": {
        **_sanction,
        "GET": status(405),
        "POST": only(AA, ok=302),
    },
    "supervision:sanction_disqualify": {"GET": only(AA), "POST": only(AA)},
    "supervision:sanction_remove_expert": {"GET": only(AA), "POST": only(AA)},
    "supervision:sanction_disable_account": {"GET": only(AA), "POST": only(AA)},
    "supervision:sanction_reassign_list": {"GET": only(AA, CS), "POST": only(AA, CS)},
    # The matrix's application is with an agency in good standing: refused with a message.
    "supervision:sanction_reassign": {
        **_application,
        "GET": status(405),
        "POST": only(AA, CS, ok=302),
    },
    "supervision:violation_list": {"GET": only(AA, CS, WD), "POST": only(AA, CS, WD)},
    "supervision:violation_create": {"GET": only(AA, CS, WD), "POST": only(AA, CS, WD)},
    "supervision:violation_detail": {
        **_violation,
        "GET": only(AA, CS, WD),
        "POST": only(AA, CS, WD),
    },
    # Empty: no file / no title chosen, refused with a message.
    "supervision:violation_evidence": {
        **_violation,
        "GET": status(405),
        "POST": only(AA, CS, WD, ok=302),
    },
    "supervision:violation_revoke": {
        **_violation,
        "GET": status(405),
        "POST": only(AA, CS, WD, ok=302),
    },
}


def extras(world, x) -> dict:
    """A disqualified agency of its own (the world's agencies stay in good standing, so every
    other entry sees them as usual) and a violation of the world's other enterprise."""
    from manyi.accounts.roles import AgencyScope, OrgKind, Role
    from manyi.supervision.sanctions.services import disqualify_agency
    from tests.factories import OrganisationFactory
    from tests.supervision.factories_sanctions import make_violation

    agency = OrganisationFactory(
        kind=OrgKind.AGENCY, name="矩阵测试推进机构", agency_scope=AgencyScope.INDUSTRY
    )
    sanction = disqualify_agency(
        agency=agency, by=world.users[Role.ASSOCIATION_ADMIN], reason="矩阵测试：违反推选细则"
    )
    violation = make_violation(world, organisation=world.other_enterprise)
    return {"sanction": sanction, "violation": violation}
