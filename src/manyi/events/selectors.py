"""Reads of events, scoped by who asks.

The public sees published and held events (a cancelled one only by its own address, saying
so); organisers see their own organisation's events, every state; another organisation's
event is a 404 on every management page.
"""

from django.db.models import Case, Count, DateTimeField, F, Q, QuerySet, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind
from manyi.events import tokens
from manyi.events.access import PUBLIC, organiser_ids
from manyi.events.models import (
    Event,
    EventKind,
    EventMaterial,
    EventStatus,
    PracticeShare,
    Registration,
    RegistrationStatus,
)

# The planned activities an event of each kind may carry out (programme.ActivityKind values).
ACTIVITY_KIND = {
    EventKind.EXCHANGE: "exchange",
    EventKind.BENCHMARK: "benchmark",
    EventKind.CONFERENCE: "conference",
}
HOST_CHOICES_LIMIT = 30


def with_counts(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with its confirmed, waitlisted and checked-in counts."""
    return queryset.annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
        checked_in_count=Count(
            "registrations", filter=Q(registrations__checked_in_at__isnull=False)
        ),
    )


def upcoming_public(limit: int = 3) -> list[Event]:
    """Published events still to come, soonest first (the home page shows them)."""
    return list(
        Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=timezone.now())
        .select_related("organiser", "host")
        .order_by("starts_at")[:limit]
    )


def public_events() -> QuerySet[Event]:
    """Published and held events: those to come first (soonest first), then past ones (latest
    first). Filtered by `events.filters.PublicEventFilter`."""
    now = timezone.now()
    ahead = Q(ends_at__gte=now, status=EventStatus.PUBLISHED)
    queryset = Event.objects.filter(status__in=PUBLIC).select_related("organiser", "host")
    return (
        with_counts(queryset)
        .annotate(
            ahead_start=Case(When(ahead, then=F("starts_at")), output_field=DateTimeField()),
            past_start=Case(When(~ahead, then=F("starts_at")), output_field=DateTimeField()),
        )
        .order_by(
            F("ahead_start").asc(nulls_last=True), F("past_start").desc(nulls_last=True), "-pk"
        )
    )


def public_event(pk: int) -> Event:
    """An event's public page: published, held, or cancelled after it was published (its
    registrants' links lead here). A draft is a 404."""
    queryset = Event.objects.exclude(status=EventStatus.DRAFT).exclude(
        status=EventStatus.CANCELLED, published_at__isnull=True
    )
    return get_object_or_404(
        with_counts(queryset).select_related("organiser", "host", "planned_activity"), pk=pk
    )


def organised_events(user) -> QuerySet[Event]:
    """The events of the user's organisations, every state, newest start first."""
    queryset = Event.objects.filter(organiser_id__in=organiser_ids(user)).select_related(
        "organiser", "host"
    )
    return with_counts(queryset).order_by("-starts_at", "-pk")


def organised_event(user, pk: int) -> Event:
    return get_object_or_404(
        organised_events(user).select_related("planned_activity", "created_by"), pk=pk
    )


def upcoming_organised(user) -> QuerySet[Event]:
    """The user's organisations' published events still to come, soonest first."""
    return (
        organised_events(user)
        .filter(status=EventStatus.PUBLISHED, ends_at__gte=timezone.now())
        .order_by("starts_at", "pk")
    )


def registrations_of(event: Event) -> QuerySet[Registration]:
    """The event's registrations in order of arrival (filtered at the door by
    `events.filters.RegistrationFilter`)."""
    return event.registrations.order_by("created_at", "pk")


def registration_of(event: Event, pk: int) -> Registration:
    registration = get_object_or_404(event.registrations.all(), pk=pk)
    registration.event = event
    return registration


def registration_by_token(token: str) -> Registration | None:
    """The registration a registrant's private link belongs to, or None."""
    if not tokens.plausible(token):
        return None
    return (
        Registration.objects.filter(token_hash=Registration.hash_token(token))
        .select_related("event", "event__organiser", "event__host")
        .first()
    )


def registration_by_checkin_code(event: Event, code: str) -> Registration:
    """The registration a scanned QR code names, for this event only; else a 404."""
    if not tokens.plausible(code):
        raise Http404
    registration = get_object_or_404(
        event.registrations.all(), checkin_hash=Registration.hash_token(code)
    )
    registration.event = event
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting; None when the registration is not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def places_left(event: Event) -> int:
    confirmed = getattr(event, "confirmed_count", None)
    if confirmed is None:
        confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max(0, event.capacity - confirmed)


def materials_of(event: Event) -> QuerySet[EventMaterial]:
    return event.materials.order_by("uploaded_at", "pk")


def public_material(pk: int) -> EventMaterial:
    """A material of a published or held event (anyone may download it)."""
    return get_object_or_404(
        EventMaterial.objects.select_related("event"), pk=pk, event__status__in=PUBLIC
    )


def material_of(event: Event, pk: int) -> EventMaterial:
    material = get_object_or_404(event.materials.all(), pk=pk)
    material.event = event
    return material


def shares_of(event: Event) -> QuerySet[PracticeShare]:
    return event.shares.select_related("organisation", "article").order_by("pk")


def share_of(event: Event, pk: int) -> PracticeShare:
    share = get_object_or_404(event.shares.all(), pk=pk)
    share.event = event
    return share


# ------------------------------------------------------------------------------------------
# Choices of the organisers' forms


def enterprises() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrgKind.ENTERPRISE, is_active=True)


def titled_enterprise_ids() -> set[int]:
    """Enterprises holding a valid title today: the natural hosts of a benchmark visit."""
    from manyi.titles.models import Title, TitleStatus

    return set(
        Title.objects.filter(
            status=TitleStatus.VALID, valid_until__gte=timezone.localdate()
        ).values_list("organisation_id", flat=True)
    )


def host_candidates(q: str = "", *, limit: int = HOST_CHOICES_LIMIT) -> list[Organisation]:
    """Registered enterprises found by name, those holding a valid title first; without a
    search, only the title holders (a city has thousands of enterprises)."""
    titled = titled_enterprise_ids()
    q = (q or "").strip()
    queryset = enterprises()
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    else:
        queryset = queryset.filter(pk__in=titled)
    found = list(queryset.order_by("name")[: limit * 4])
    found.sort(key=lambda o: (o.pk not in titled, o.name))
    for organisation in found:
        organisation.holds_title = organisation.pk in titled
    return found[:limit]


def share_organisations(event: Event) -> list[Organisation]:
    """The organisations likely to have shared a practice at `event`: its host, the
    registrants' organisations, the title holders and the agencies."""
    ids = set(
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .exclude(organisation=None)
        .values_list("organisation_id", flat=True)
    )
    if event.host_id:
        ids.add(event.host_id)
    ids |= titled_enterprise_ids()
    return list(
        Organisation.objects.filter(is_active=True)
        .filter(Q(pk__in=ids, kind=OrgKind.ENTERPRISE) | Q(kind=OrgKind.AGENCY))
        .order_by("-kind", "name")
    )


def planned_activities():
    """The activities of published annual plans that an event may carry out."""
    from manyi.programme.models import PlannedActivity, PlanStatus

    return (
        PlannedActivity.objects.filter(
            plan__status=PlanStatus.PUBLISHED, kind__in=list(ACTIVITY_KIND.values())
        )
        .select_related("plan")
        .order_by("-plan__year", "starts_on", "pk")
    )


def practice_articles():
    """Published good-practice articles a practice share may link to."""
    from manyi.programme.models import Article, ArticleKind, ArticleStatus

    return Article.objects.filter(
        kind=ArticleKind.PRACTICE, status=ArticleStatus.PUBLISHED
    ).order_by("-published_at", "-pk")
