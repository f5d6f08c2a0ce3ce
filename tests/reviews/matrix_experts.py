"""Access-matrix entries of this package, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs (x holds what the
matrix already made: "survey" is an accepted application's survey in the field, …).

The expert's pages are the expert's own (the world's expert holds "expert_assignment", on the
accepted application of x["survey"]); the draw and replacement are committee staff's and the
association administrator's acts from the review page (the work department only reads). An
empty POST is refused with a message and a redirect (302), or redisplays the declaration form.
"""

from tests.access_matrix_roles import AA, CS, EX, WD, only, status  # noqa: F401 - for the entries


def _assignment(w, x):
    return {"pk": x["expert_assignment"].pk}


MATRIX: dict = {
    "reviews:experts_declaration": {
        "kwargs": lambda w, x: {"year": x["survey"].application.campaign.year},
        "GET": only(EX),
        "POST": only(EX),
    },
    "reviews:experts_assignments": {"GET": only(EX), "POST": status(405)},
    "reviews:experts_assignment": {"kwargs": _assignment, "GET": only(EX), "POST": status(405)},
    "reviews:experts_assignment_pdf": {
        "kwargs": _assignment,
        "GET": only(EX),
        "POST": status(405),
    },
    "reviews:experts_decline": {
        "kwargs": _assignment,
        "GET": status(405),
        "POST": only(EX, ok=302),
    },
    "reviews:experts_replace": {
        "kwargs": _assignment,
        "GET": status(405),
        "POST": only(AA, CS, ok=302),
    },
    "reviews:experts_draw": {
        "kwargs": lambda w, x: {"pk": x["survey"].application.pk},
        "GET": status(405),
        "POST": only(AA, CS, ok=302),
    },
}


def extras(world, x) -> dict:
    """A draw for the accepted application of x["survey"], with the world's expert assigned."""
    from manyi.accounts.roles import Role
    from manyi.reviews.models import Assignment, ExpertDraw

    application = x["survey"].application
    expert = world.users[Role.EXPERT]
    draw = ExpertDraw.objects.create(
        application=application,
        seed=1,
        needed=1,
        candidates=[expert.pk],
        drawn_by=world.users[Role.COMMITTEE_STAFF],
    )
    assignment = Assignment.objects.create(
        draw=draw, application=application, expert=expert, position=0
    )
    return {"expert_draw": draw, "expert_assignment": assignment}
