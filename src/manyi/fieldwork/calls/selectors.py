"""The interviewer's queue: callbacks due first, then the rest of the sample in draw order."""

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from manyi.fieldwork.models import CallAttempt, ContactStatus, SampledContact, SurveyStatus
from manyi.fieldwork.states import OPEN_CONTACT


def my_contacts(user):
    return SampledContact.objects.filter(
        interviewer=user, is_reserve=False, survey__status=SurveyStatus.IN_FIELD
    ).select_related("survey__application__organisation", "customer")


def queue(user, now=None):
    """Open contacts to call now: callbacks that are due, then pending and invited ones."""
    now = now or timezone.now()
    due = Q(status=ContactStatus.CALLBACK, callback_at__lte=now)
    waiting = Q(status__in=(ContactStatus.PENDING, ContactStatus.INVITED))
    return (
        my_contacts(user)
        .filter(due | waiting)
        .annotate(
            due_first=Case(When(due, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("due_first", "callback_at", "survey_id", "position")
    )


def later_callbacks(user, now=None):
    now = now or timezone.now()
    return (
        my_contacts(user)
        .filter(status=ContactStatus.CALLBACK, callback_at__gt=now)
        .order_by("callback_at")
    )


def today_figures(user) -> dict:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return CallAttempt.objects.filter(interviewer=user, started_at__gte=start).aggregate(
        calls=Count("pk"), completes=Count("pk", filter=Q(outcome="completed"))
    )


def interviewer_table(survey) -> list[dict]:
    """Per interviewer of the survey: assigned, open, completed, attempts, callbacks due."""
    now = timezone.now()
    rows = (
        SampledContact.objects.filter(survey=survey, is_reserve=False, interviewer__isnull=False)
        .values("interviewer__full_name", "interviewer__email")
        .annotate(
            assigned=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_CONTACT)),
            completed=Count("pk", filter=Q(status=ContactStatus.COMPLETED)),
            attempts=Sum("attempts"),
            due=Count("pk", filter=Q(status=ContactStatus.CALLBACK, callback_at__lte=now)),
        )
        .order_by("interviewer__full_name", "interviewer__email")
    )
    return list(rows)


def unassigned_open(survey) -> int:
    return SampledContact.objects.filter(
        survey=survey, is_reserve=False, interviewer__isnull=True, status__in=OPEN_CONTACT
    ).count()


def open_load(user_ids) -> dict:
    """Each interviewer's current load: open contacts in every survey sampled or in field."""
    rows = (
        SampledContact.objects.filter(
            interviewer_id__in=list(user_ids),
            is_reserve=False,
            status__in=OPEN_CONTACT,
            survey__status__in=(SurveyStatus.SAMPLED, SurveyStatus.IN_FIELD),
        )
        .values("interviewer_id")
        .annotate(n=Count("pk"))
    )
    return {r["interviewer_id"]: r["n"] for r in rows}


def holders(survey):
    """Users holding open contacts of this survey (those one can move contacts away from)."""
    from manyi.accounts.models import User

    return User.objects.filter(
        pk__in=SampledContact.objects.filter(
            survey=survey, is_reserve=False, status__in=OPEN_CONTACT
        ).values("interviewer_id")
    ).order_by("full_name", "email")
