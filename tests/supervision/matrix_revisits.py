"""Access-matrix entries of supervision/revisits, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs.

The programme's three offices read revisits; committee staff and the administrator act on them.
An expert sees only the revisits they are assigned to (the world's expert is on none: 404); a
holder's users see their own notices.
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

_revisit = {"kwargs": lambda w, x: {"pk": x["revisit"].pk}}
_staff_post = {"GET": status(405), "POST": only(AA, CS, ok=302)}

MATRIX: dict = {
    "supervision:revisit_list": {"GET": only(AA, CS, WD), "POST": status(405)},
    # An empty form is shown again with its errors.
    "supervision:revisit_plan": {"GET": only(AA, CS), "POST": only(AA, CS)},
    "supervision:revisit_draw": {"GET": only(AA, CS), "POST": only(AA, CS)},
    "supervision:revisit_draw_detail": {
        "kwargs": lambda w, x: {"pk": x["revisit_draw"].pk},
        "GET": only(AA, CS, WD),
        "POST": status(405),
    },
    "supervision:revisit_mine": {"GET": only(EX), "POST": status(405)},
    "supervision:revisit_holder_list": {"GET": only(EN), "POST": status(405)},
    "supervision:revisit_detail": {
        **_revisit,
        "GET": only(AA, CS, WD) | {EX: 404},
        "POST": status(405),
    },
    # The revisit is notified with its experts: drawing and notifying again are refused with a
    # message; an empty record, cancel or replace form is refused with a message.
    "supervision:revisit_experts": {**_revisit, **_staff_post},
    "supervision:revisit_notify": {**_revisit, **_staff_post},
    "supervision:revisit_record": {
        **_revisit,
        "GET": status(405),
        "POST": only(AA, CS, ok=302) | {EX: 404},
    },
    "supervision:revisit_cancel": {**_revisit, **_staff_post},
    "supervision:revisit_replace": {
        "kwargs": lambda w, x: {"pk": x["revisit"].experts.first().pk},
        **_staff_post,
    },
}


def extras(world, x) -> dict:
    """A notified revisit of a title of the world's enterprise (an earlier campaign's), with
    two experts of the pool (not the world's expert), drawn by a stored draw."""
    from manyi.supervision.models import RevisitDraw
    from tests.supervision.factories_revisits import notified, title_of
    from tests.titles.decision_helpers import past_campaign

    title = title_of(world, "engineering", organisation=world.enterprise, campaign=past_campaign())
    revisit, _team = notified(world, title)
    draw = RevisitDraw.objects.create(
        size=1,
        seed=1,
        population_hash="0" * 64,
        population=[title.pk],
        drawn=[title.pk],
        drawn_by=revisit.created_by,
    )
    revisit.batch = draw
    revisit.save(update_fields=["batch"])
    return {"revisit": revisit, "revisit_draw": draw}
