"""What other apps' pages show of agencies, drawn by this app (so the rules stay here):

- ``{% enterprise_agencies organisation %}`` on the enterprise's 本单位 page: its agencies,
  the invitations it may accept or decline, and the way to leave;
- ``{% agency_invitations %}`` on the agency's 会员企业 page: the invitations it sent;
- ``{% agency_standing_notice application %}`` on an application's page: why the agency it
  waits for cannot recommend now (suspended, never recognised, disqualified).
"""

from django import template

from manyi.accounts.selectors import agency_memberships_of
from manyi.agencies import selectors
from manyi.agencies.access import (
    ACCEPT_INVITATION,
    DECLINE_INVITATION,
    INVITE,
    LEAVE,
    is_enterprise_of_membership,
)

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("agencies/tags/enterprise_agencies.html", takes_context=True)
def enterprise_agencies(context, organisation):
    user = _user(context)
    memberships = []
    for m in agency_memberships_of(organisation):
        own = is_enterprise_of_membership.test(user, m)
        memberships.append(
            {
                "membership": m,
                "own": own,
                # Asked only of the enterprise's users: the check reads its applications.
                "can_leave": own and LEAVE.allows(user, m),
            }
        )
    invitations = [
        {
            "membership": m,
            "can_accept": ACCEPT_INVITATION.allows(user, m),
            "can_decline": DECLINE_INVITATION.allows(user, m),
        }
        for m in selectors.invitations_received(organisation)
        if is_enterprise_of_membership.test(user, m)
    ]
    return {
        "organisation": organisation,
        "memberships": memberships,
        "invitations": invitations,
        "can_join": context.get("can_join_agency", False),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("agencies/tags/agency_invitations.html", takes_context=True)
def agency_invitations(context):
    user = _user(context)
    agencies = list(selectors.own_agencies(user)) if user is not None else []
    return {
        "invitations": list(selectors.invitations_sent(user)[:50]) if agencies else [],
        "inviting": [a for a in agencies if INVITE.allows(user, a)],
        "several": len(agencies) > 1,
    }


@register.inclusion_tag("agencies/tags/standing_notice.html")
def agency_standing_notice(application):
    from manyi.applications.access import agency_disqualified, recognition_words
    from manyi.applications.states import AWAITING_AGENCY

    agency = application.agency
    words = ""
    if agency is not None and application.status in AWAITING_AGENCY and not agency.may_recommend:
        if agency.disqualified_on is not None:
            words = " ".join(agency_disqualified().messages)
        else:
            words = recognition_words(agency)
    return {"words": words}


@register.filter
def standing_label(value) -> str:
    """已认可 / 暂停 / 取消资格 / 未认可 of a `Standing` value."""
    from manyi.agencies.standing import Standing

    return Standing(value).label if value in Standing.values else ""


@register.filter
def standing_badge(value) -> str:
    """The Bootstrap badge class of a `Standing` value."""
    from manyi.agencies.standing import BADGES

    return BADGES.get(value, "text-bg-secondary")
