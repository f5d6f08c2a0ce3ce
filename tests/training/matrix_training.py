"""Access-matrix entries of training, merged into tests/access_matrix.py.

`extras(world, x)` adds: an upcoming class of world.agency with world.enterprise's 李明
enrolled (`training_class`, `training_enrolment`), a class of world.agency that has started
(`started_class`), 李明's file (`training_employee`), the file of an employee of a confirmed
member of world.agency (`member_employee`), and world.enterprise's 2026 plan (`training_plan`).

Readers of training are programme staff, agency staff and enterprise users; experts and the
survey firm are refused (403). Organisers (association admin, committee and agency staff, an
enterprise for an internal class) schedule; only the class's own organiser edits it, moves it
and records results — programme staff and enterprises who see the class are refused (403).
World.enterprise is not yet a confirmed member of world.agency, so the agency does not find its
files or plan (404); it reads its confirmed member's. Every button answers with a redirect
(302): done, or refused with a message.
"""

from tests.access_matrix_roles import AA, AG, CS, EN, PROGRAMME, only, status

READERS = (*PROGRAMME, AG, EN)
ORGANISERS = (AA, CS, AG, EN)
WRONG_METHOD = status(405)
_class = {"kwargs": lambda w, x: {"pk": x["training_class"].pk}}
_started = {"kwargs": lambda w, x: {"pk": x["started_class"].pk}}
_enrolment = {
    "kwargs": lambda w, x: {
        "pk": x["training_class"].pk,
        "enrolment_pk": x["training_enrolment"].pk,
    }
}
_employee = {"kwargs": lambda w, x: {"pk": x["training_employee"].pk}}
_member_employee = {"kwargs": lambda w, x: {"pk": x["member_employee"].pk}}
_plan = {"kwargs": lambda w, x: {"pk": x["training_plan"].pk}}
# The organiser's buttons: the agency's staff are answered (302); whoever else sees the class
# is refused (403); people who organise nothing are refused by role (403).
_organiser_move = {"GET": WRONG_METHOD, "POST": only(AG, ok=302)}
_enterprise_move = {"GET": WRONG_METHOD, "POST": only(EN, ok=302)}
_own_file = only(*PROGRAMME, EN, others=403) | {AG: 404}

MATRIX: dict = {
    "training:index": {"GET": only(*READERS), "POST": only(*READERS)},
    "training:class_create": {"GET": only(*ORGANISERS), "POST": only(*ORGANISERS)},
    "training:class_detail": {**_class, "GET": only(*READERS), "POST": only(*READERS)},
    "training:class_edit": {**_class, "GET": only(AG), "POST": only(AG)},
    "training:class_close": {**_class, **_organiser_move},
    "training:class_reopen": {**_class, **_organiser_move},
    # An empty reason: refused with a message.
    "training:class_cancel": {**_class, **_organiser_move},
    # Not started yet: refused with a message.
    "training:class_held": {**_class, **_organiser_move},
    # An empty choice: refused with a message.
    "training:enrol": {**_class, **_enterprise_move},
    "training:enrol_new": {**_class, **_enterprise_move},
    "training:unenrol": {**_enrolment, **_enterprise_move},
    # An empty POST shows the form again.
    "training:results": {**_started, "GET": only(AG), "POST": only(AG)},
    "training:employee_list": {"GET": only(*READERS), "POST": only(*READERS)},
    "training:employee_create": {"GET": only(EN), "POST": only(EN)},
    "training:employee_import": {"GET": only(EN), "POST": only(EN)},
    "training:employee_template": {"GET": only(EN), "POST": WRONG_METHOD},
    "training:employee_export": {"GET": only(EN), "POST": WRONG_METHOD},
    "training:employee_detail": {**_employee, "GET": _own_file, "POST": _own_file},
    "training:employee_edit": {**_employee, "GET": only(EN), "POST": only(EN)},
    "training:employee_leave": {**_employee, **_enterprise_move},
    "training:employee_return": {**_employee, **_enterprise_move},
    # The agency reads its confirmed member's file; the world's enterprise does not find it.
    "training:employee_pdf": {
        **_member_employee,
        "GET": only(*PROGRAMME, AG, others=403) | {EN: 404},
        "POST": WRONG_METHOD,
    },
    "training:plan_list": {"GET": only(*READERS), "POST": only(*READERS)},
    "training:plan_detail": {**_plan, "GET": _own_file, "POST": _own_file},
    "training:plan_edit": {
        "kwargs": lambda w, x: {"year": 2026},
        "GET": only(EN),
        "POST": only(EN),
    },
}


def extras(world, x) -> dict:
    from decimal import Decimal

    from manyi.accounts.roles import Role
    from manyi.training import plans
    from manyi.training.models import Employee
    from tests.factories import OrganisationFactory
    from tests.training.factories import enrolled, make_class, started

    upcoming = make_class(world, title="矩阵培训班")
    enrolment = enrolled(world, upcoming, names=("李明",))[0]
    begun = make_class(world, title="已开课的矩阵培训班")
    enrolled(world, begun, names=("王芳",))
    started(begun)
    member = OrganisationFactory(
        name="天河培训会员有限公司", agency=world.agency, agency__confirmed=True
    )
    member_employee = Employee.objects.create(organisation=member, name="会员职工")
    plan = plans.save_plan(
        by=world.users[Role.ENTERPRISE_USER],
        organisation=world.enterprise,
        year=2026,
        aims="普及用户满意理论",
        items=[
            {
                "topic": "satisfaction_theory",
                "title": "用户满意理论",
                "month": 5,
                "audience": "质量骨干",
                "people": 10,
                "hours": Decimal("8"),
            }
        ],
    )
    return {
        "training_class": upcoming,
        "training_enrolment": enrolment,
        "started_class": begun,
        "training_employee": enrolment.employee,
        "member_employee": member_employee,
        "training_plan": plan,
    }
