"""The grown applications' activity log and mail, as the services would have left them: an
entry per start, upload and move (by the person whose role makes it), and the status mail of
each move to the applicant, already sent.
"""

from datetime import timedelta

from manyi.applications.states import APPLICANT_WORDING, Status
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.portal.scale.bulk import write_rows

# Who makes each move (as `states.MOVES` allows it); None: the scheduled task.
ACTOR = {
    Status.SUBMITTED: "applicant",
    Status.WITHDRAWN: "applicant",
    Status.COMPLETED: "applicant",
    Status.RETURNED: "agency",
    Status.RECOMMENDED: "agency",
    Status.NOT_RECOMMENDED: "agency",
    Status.DEFICIENT: "staff",
    Status.ACCEPTED: "staff",
    Status.REJECTED: "staff",
    Status.IN_NOTICE: "admin",
    Status.NOT_AWARDED: "admin",
    Status.AWARDED: None,
}
WORKER = "worker"
LOG_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "before",
    "after",
    "organisation_id",
    "object_type",
    "object_id",
    "object_repr",
)
MAIL_FIELDS = (
    "created_at",
    "to",
    "subject",
    "body_text",
    "template",
    "status",
    "attempts",
    "sent_at",
)


def entry(at, actor, action, before, after, common: tuple) -> tuple:
    """A row of LOG_FIELDS; `common` names the object (organisation, type, id, repr)."""
    return (at, actor.pk if actor else None, _label(actor), action, before, after, *common)


def _label(user) -> str:
    return f"{user.display_name} <{user.email}>"[:200] if user is not None else WORKER


def write_trail(world, cases, applications, lists) -> int:
    """Activity-log entries and sent status mails of every grown application."""
    entries, mails = [], []
    for case, application in zip(cases, applications, strict=True):
        applicant = application.created_by
        actors = {
            "applicant": applicant,
            "agency": world.agency_staff.get(application.agency_id),
            "staff": world.staff,
            "admin": world.admin,
            None: None,
        }
        common = (
            application.organisation_id,
            "applications.application",
            str(application.pk),
            f"{application.organisation.name} · "
            f"{application.get_category_display()} · {application.campaign.year}"[:300],
        )
        after = {
            "category": application.category,
            "campaign": application.campaign.year,
            "agency": application.agency.name,
        }
        entries.append(entry(case.times[0], applicant, "application.start", None, after, common))
        customer_list = lists.get(application.pk)
        if customer_list is not None:
            entries += _list_entries(customer_list, applicant, application)
        before = Status.DRAFT.value
        for state, at in zip(case.path, case.times[1:], strict=True):
            actor = actors[ACTOR[state]]
            entries.append(
                entry(
                    at,
                    actor,
                    f"application.{state}",
                    {"status": before},
                    {"status": state.value},
                    common,
                )
            )
            mails.append(_status_mail(application, applicant, state, at))
            before = state.value
    write_rows(ActivityLog, LOG_FIELDS, entries, batch=world.batch)
    write_rows(OutboxMessage, MAIL_FIELDS, mails, batch=world.batch)
    return len(entries) + len(mails)


def _list_entries(customer_list, applicant, application) -> list[tuple]:
    common = (
        application.organisation_id,
        "applications.customerlist",
        str(customer_list.pk),
        f"{application.organisation.name} · {customer_list.original_name}"[:300],
    )
    upload = {"file": customer_list.original_name, "sha256": customer_list.sha256}
    accept = {"rows": customer_list.row_count, "current": True, "warnings": 0}
    return [
        entry(customer_list.uploaded_at, applicant, "customer_list.upload", None, upload, common),
        entry(
            customer_list.finished_at,
            None,
            "customer_list.accept",
            {"current": None},
            accept,
            common,
        ),
    ]


def _status_mail(application, applicant, state, at) -> tuple:
    """The text `emails/application_status_*.txt` renders, written directly: rendering
    templates for tens of thousands of mails would cost minutes."""
    category = application.get_category_display()
    wording = APPLICANT_WORDING[state]
    return (
        at,
        applicant.email,
        f"【满意】您的“{category}”申报：{wording}",
        f"{application.organisation.name}：\n\n贵单位{application.campaign.year}年"
        f"“{category}”申报的状态为：{wording}。\n\n请登录查看：/applications/{application.pk}/"
        "\n\n广州市用户委员会",
        "application_status",
        OutboxMessage.Status.SENT.value,
        1,
        at + timedelta(minutes=1),
    )
