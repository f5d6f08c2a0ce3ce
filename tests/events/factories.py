"""Events made through the services, for the events tests."""

import datetime as dt
import itertools

from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.events.models import EventFormat, EventKind
from manyi.events.services import organising, registration

_people = itertools.count(1)


def fields(**overrides) -> dict:
    """The fields of a good exchange meeting ten days ahead, registration open for a week."""
    starts = overrides.pop("starts_at", None) or timezone.now() + dt.timedelta(days=10)
    data = {
        "kind": EventKind.EXCHANGE,
        "title": "用户满意经验交流会",
        "title_en": "",
        "summary": "会员企业交流实施用户满意工程的做法。",
        "summary_en": "",
        "formats": [EventFormat.TALK, EventFormat.GROUP],
        "agenda": "14:00 签到\n14:30 交流",
        "host": None,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=3),
        "place": "天河区体育西路101号",
        "capacity": 30,
        "registration_closes_at": starts - dt.timedelta(days=1),
        "planned_activity": None,
    }
    data.update(overrides)
    return data


def make_event(world, *, organiser=None, by=None, publish=True, **overrides):
    """An event of world.agency (by its staff) unless told otherwise; published by default."""
    by = by or world.users[Role.AGENCY_STAFF]
    organiser = organiser or world.agency
    event = organising.create_event(by=by, organiser=organiser, **fields(**overrides))
    if publish:
        event = organising.publish_event(event=event, by=by)
    return event


def person(**overrides) -> dict:
    n = next(_people)
    data = {
        "name": f"报名人{n}",
        "organisation_name": "广州测试有限公司",
        "position": "经理",
        "mobile": f"138{n:08d}",
        "email": f"person{n}@example.cn",
    }
    data.update(overrides)
    return data


def register(event, *, by=None, ip="10.0.0.1", **overrides):
    """Register one made-up person; returns (registration, token)."""
    return registration.register(event=event, by=by, ip=ip, **person(**overrides))


def fields_of(event, **overrides) -> dict:
    """The event's current fields (what its edit form shows), with `overrides`."""
    data = {
        name: getattr(event, name)
        for name in (
            "kind",
            "title",
            "title_en",
            "summary",
            "summary_en",
            "formats",
            "agenda",
            "host",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "registration_closes_at",
            "planned_activity",
        )
    }
    data.update(overrides)
    return data
