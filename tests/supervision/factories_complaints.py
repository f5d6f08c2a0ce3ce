"""Complaints the supervision tests share: one submitted through the public service, a title
to complain about, a complaint taken up by committee staff."""

from manyi.accounts.roles import Role
from manyi.supervision.complaints.services import submit_complaint, triage_complaint
from tests.reviews.factories import granted_title

COMPLAINANT = "王投诉"
CONTACT = "13800002222"
FACTS = "该企业宣传“用户满意”称号时未标明年度，售后承诺的上门维修从未兑现。"


def complain(
    about="某某公司",
    *,
    facts=FACTS,
    name=COMPLAINANT,
    contact=CONTACT,
    evidence=(),
    ip="203.0.113.20",
):
    """A complaint as the public form submits it; returns (complaint, follow-up token)."""
    return submit_complaint(
        about=about,
        facts=facts,
        name=name,
        contact=contact,
        consent=True,
        evidence=evidence,
        ip=ip,
    )


def complaint_about_title(world, **kwargs):
    """A valid title and a complaint naming its number; returns (title, complaint, token)."""
    title = granted_title(world)
    complaint, token = complain(title.number, **kwargs)
    return title, complaint, token


def taken_up(world, complaint, *, major=False, title=None, note="受理调查"):
    """The complaint triaged by committee staff (已收到 → 调查中), keeping its match unless
    `title` is given; returns the Triage result."""
    title = title if title is not None else complaint.title
    organisation = complaint.organisation
    return triage_complaint(
        complaint=complaint,
        by=world.users[Role.COMMITTEE_STAFF],
        major=major,
        title_number=title.number if title is not None else "",
        organisation_name=organisation.name if title is None and organisation else "",
        note=note,
    )
