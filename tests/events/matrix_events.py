"""Access-matrix entries of events, merged into tests/access_matrix.py.

`extras(world, x)` builds a published event of world.agency with two confirmed registrations
(one to be checked in, one to cancel), two materials (one to download, one to remove) and
two practice shares.

Public: the list, an event's page (an empty POST redisplays the registration form), the
registrant's own page and its cancel button (by token), the materials. The organisers' pages
admit association admins, committee staff and agency staff; the event belongs to world.agency,
so the association's and the committee's staff get a 404 on its pages (scoped by organiser),
everyone else a 403, anonymous people are sent to log in. The check-in page a QR code opens
follows the same rule (tests/events/test_checkin.py shows nothing leaks).
"""

from tests.access_matrix_roles import AA, AG, CS, POST_ONLY, PUBLIC, only, status

_event = {"kwargs": lambda w, x: {"pk": x["event"].pk}}
# The event's own pages: its organiser's staff only; other organisers get a 404.
_own = {**only(AA, CS, AG), AA: 404, CS: 404}
# A POST that the service takes or refuses with a message, then sends back to the page.
_moved = {"GET": POST_ONLY, "POST": {**only(AG, ok=302), AA: 404, CS: 404}}
ORGANISERS = only(AA, CS, AG)

MATRIX: dict = {
    "events:list": {"GET": PUBLIC, "POST": PUBLIC},
    "events:detail": {**_event, "GET": PUBLIC, "POST": PUBLIC},
    "events:registration": {
        "kwargs": lambda w, x: {"token": x["event_cancel_token"]},
        "GET": PUBLIC,
        "POST": status(405),
    },
    "events:registration_cancel": {
        "kwargs": lambda w, x: {"token": x["event_cancel_token"]},
        "GET": status(405),
        "POST": status(302),
    },
    "events:material": {
        "kwargs": lambda w, x: {"pk": x["event_material"].pk},
        "GET": PUBLIC,
        "POST": status(405),
    },
    "events:checkin_scan": {
        "kwargs": lambda w, x: {"pk": x["event"].pk, "code": x["event_checkin_code"]},
        "GET": _own,
        "POST": {**only(AG, ok=302), AA: 404, CS: 404},
    },
    "events:manage": {"GET": ORGANISERS, "POST": ORGANISERS},
    # An empty form is shown again with its errors.
    "events:create": {"GET": ORGANISERS, "POST": ORGANISERS},
    "events:host_options": {"GET": ORGANISERS, "POST": status(405)},
    "events:manage_detail": {**_event, "GET": _own, "POST": _own},
    "events:edit": {**_event, "GET": _own, "POST": _own},
    # Already published; an empty reason; not started yet: each refused with a message.
    "events:publish": {**_event, **_moved},
    "events:cancel": {**_event, **_moved},
    "events:held": {**_event, **_moved},
    "events:export": {**_event, "GET": _own, "POST": status(405)},
    "events:material_add": {**_event, **_moved},
    "events:material_remove": {
        "kwargs": lambda w, x: {"pk": x["event"].pk, "material_pk": x["event_material_gone"].pk},
        **_moved,
    },
    "events:share_add": {**_event, **_moved},
    "events:share_remove": {
        "kwargs": lambda w, x: {"pk": x["event"].pk, "share_pk": x["event_share"].pk},
        **_moved,
    },
    "events:checkin": {**_event, "GET": _own, "POST": _own},
    "events:checkin_row": {
        "kwargs": lambda w, x: {"pk": x["event"].pk, "registration_pk": x["event_arrival"].pk},
        **_moved,
    },
}


def extras(world, x) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from manyi.accounts.roles import Role
    from manyi.events import tokens
    from manyi.events.services import after_event
    from tests.events.factories import make_event, register

    pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\nstartxref\n0\n%%EOF\n"
    staff = world.users[Role.AGENCY_STAFF]
    event = make_event(world, title="矩阵交流会", capacity=5)
    arrival, arrival_token = register(event, name="矩阵到场者", ip="10.1.1.1")
    _leaving, leaving_token = register(event, name="矩阵取消者", ip="10.1.1.1")
    material = after_event.add_material(
        event=event, by=staff, title="议程", upload=SimpleUploadedFile("a.pdf", pdf)
    )
    gone = after_event.add_material(
        event=event, by=staff, title="旧议程", upload=SimpleUploadedFile("b.pdf", pdf)
    )
    share = after_event.add_share(
        event=event, by=staff, organisation=world.enterprise, speaker="甲", title="经验"
    )
    return {
        "event": event,
        "event_arrival": arrival,
        "event_checkin_code": tokens.checkin_code(arrival_token),
        "event_cancel_token": leaving_token,
        "event_material": material,
        "event_material_gone": gone,
        "event_share": share,
    }
