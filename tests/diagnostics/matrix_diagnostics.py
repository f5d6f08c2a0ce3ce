"""Access-matrix entries of diagnostics, merged into tests/access_matrix.py.

`extras(world, x)` returns world.enterprise's diagnoses by world.agency at three stages:
requested (the page, withdraw, accept, decline), accepted (the group page), scheduled with the
world's expert leading the group (the schedule page, the report) and reported (the PDF, the
answer). The world's expert is in none of the requested one's group: that page is a 404 for
them, as another organisation's diagnosis is for everyone (tests/diagnostics/test_views.py).

POSTs carry an empty form: a one-button move redirects (302) whether the service took it or
said why not; a page form with errors is shown again (400).
"""

from tests.access_matrix_roles import AG, EN, EX, PROGRAMME, only, status

_requested = {"kwargs": lambda w, x: {"pk": x["diagnosis_requested"].pk}}
_accepted = {"kwargs": lambda w, x: {"pk": x["diagnosis_accepted"].pk}}
_scheduled = {"kwargs": lambda w, x: {"pk": x["diagnosis_scheduled"].pk}}
_reported = {"kwargs": lambda w, x: {"pk": x["diagnosis_reported"].pk}}
POST_ONLY = status(405)
GET_ONLY = status(405)

MATRIX: dict = {
    "diagnostics:list": {"GET": only(*PROGRAMME, AG, EN, EX), "POST": GET_ONLY},
    # An empty request is shown again with its errors.
    "diagnostics:request": {"GET": only(EN), "POST": only(EN)},
    "diagnostics:detail": {
        **_requested,
        "GET": only(*PROGRAMME, AG, EN) | {EX: 404},
        "POST": GET_ONLY,
    },
    "diagnostics:withdraw": {**_requested, "GET": POST_ONLY, "POST": only(EN, ok=302)},
    "diagnostics:accept": {**_requested, "GET": POST_ONLY, "POST": only(AG, ok=302)},
    "diagnostics:decline": {**_requested, "GET": POST_ONLY, "POST": only(AG, ok=302)},
    "diagnostics:group": {**_accepted, "GET": only(AG), "POST": only(AG, ok=400)},
    "diagnostics:schedule": {**_scheduled, "GET": only(AG), "POST": only(AG, ok=400)},
    # The leader saves an empty draft.
    "diagnostics:report_edit": {**_scheduled, "GET": only(EX), "POST": only(EX, ok=302)},
    "diagnostics:report_pdf": {
        **_reported,
        "GET": only(*PROGRAMME, AG, EN, EX),
        "POST": GET_ONLY,
    },
    "diagnostics:answer": {**_reported, "GET": only(EN), "POST": only(EN, ok=400)},
}


def extras(world, x) -> dict:
    import datetime as dt

    from django.utils import timezone

    from manyi.accounts.roles import Role
    from manyi.diagnostics.models import (
        Diagnosis,
        DiagnosisStatus,
        DiagnosticExpert,
        DiagnosticReport,
    )
    from tests.factories import MembershipFactory

    requester = world.users[Role.ENTERPRISE_USER]
    staff = world.users[Role.AGENCY_STAFF]
    leader = world.users[Role.EXPERT]
    member = MembershipFactory(organisation=world.committee, role=Role.EXPERT).user
    past = timezone.now() - dt.timedelta(days=1)

    def make(status, **fields):
        diagnosis = Diagnosis.objects.create(
            enterprise=world.enterprise,
            agency=world.agency,
            needs="矩阵诊断",
            contact_name="梁经理",
            contact_mobile="13800138000",
            requested_by=requester,
            status=status,
            **fields,
        )
        if status != DiagnosisStatus.REQUESTED:
            for expert, lead in ((leader, True), (member, False)):
                DiagnosticExpert.objects.create(
                    diagnosis=diagnosis, expert=expert, is_leader=lead, added_by=staff
                )
        return diagnosis

    visit = {"visit_starts_at": past, "visit_place": "企业会议室"}
    reported = make(DiagnosisStatus.REPORTED, **visit)
    DiagnosticReport.objects.create(
        diagnosis=reported,
        summary="总体良好",
        findings=[{"key": "F1", "text": "问题"}],
        recommendations=[{"key": "R1", "text": "建议", "priority": "high"}],
        written_by=leader,
        submitted_at=past,
    )
    return {
        "diagnosis_requested": make(DiagnosisStatus.REQUESTED),
        "diagnosis_accepted": make(DiagnosisStatus.ACCEPTED),
        "diagnosis_scheduled": make(DiagnosisStatus.SCHEDULED, **visit),
        "diagnosis_reported": reported,
    }
