"""Access-matrix entries of the supervision hub, merged into tests/access_matrix.py.

The hub is the programme's three offices'. An evidence file is theirs too, and the experts'
of the revisit it belongs to (an expert of no revisit gets a 404).
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

MATRIX: dict = {
    "supervision:index": {"GET": only(AA, CS, WD), "POST": only(AA, CS, WD)},
    "supervision:evidence": {
        "kwargs": lambda w, x: {"pk": x["supervision_evidence"].pk},
        "GET": only(AA, CS, WD, others=404),
        "POST": only(AA, CS, WD, others=404),
    },
}


def extras(world, x) -> dict:
    """A violation of the world's enterprise with one PDF attached."""
    from django.utils import timezone

    from manyi.accounts.roles import Role
    from manyi.supervision.evidence import attach_evidence
    from manyi.supervision.models import Violation, ViolationKind
    from tests.titles.decision_helpers import pdf_upload

    staff = world.users[Role.ASSOCIATION_ADMIN]
    violation = Violation.objects.create(
        organisation=world.enterprise,
        kind=ViolationKind.NO_YEAR,
        description="矩阵测试：宣传称号未标明年份",
        found_on=timezone.localdate(),
        recorded_by=staff,
    )
    evidence = attach_evidence(owner=violation, upload=pdf_upload(), by=staff)
    return {"supervision_violation": violation, "supervision_evidence": evidence}
