"""Training objects for tests, made through the services people use."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.training import employees, enrolling, services
from manyi.training.models import Employee, TrainingClass


def class_data(**overrides) -> dict:
    """A valid class starting in ten days (overrides replace any field)."""
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=10)
    data = {
        "topic": "satisfaction_theory",
        "title": "用户满意理论培训班",
        "teachers": "孙教授",
        "description": "用户满意理论与测评方法",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=8),
        "hours": Decimal("8"),
        "place": "天河区质量技术协会三楼会议室",
        "capacity": 30,
        "enrol_closes_at": None,
        "pass_score": Decimal("60"),
        "planned_activity": None,
    }
    return data | overrides


def make_class(world, *, by=None, organiser=None, **overrides) -> TrainingClass:
    """A class scheduled by the world's agency (or `organiser`, as `by`)."""
    by = by or world.users[Role.AGENCY_STAFF]
    organiser = organiser or world.agency
    return services.create_class(by=by, organiser=organiser, **class_data(**overrides))


def started(training_class: TrainingClass, *, days_ago: int = 1) -> TrainingClass:
    """As if time had passed: the class began `days_ago` days ago (the services refuse to
    schedule a class in the past, so tests move it there afterwards)."""
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    TrainingClass.objects.filter(pk=training_class.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=8), enrol_closes_at=None
    )
    training_class.refresh_from_db()
    return training_class


def make_employee(world, name="李明", *, organisation=None, by=None, **fields) -> Employee:
    organisation = organisation or world.enterprise
    by = by or (world.outsider if organisation == world.other_enterprise else None)
    by = by or world.users[Role.ENTERPRISE_USER]
    return employees.add_employee(by=by, organisation=organisation, name=name, **fields)


def enrolled(world, training_class, names=("李明", "王芳"), *, organisation=None, by=None):
    """Employees of `organisation` (the world's enterprise) put on file and enrolled."""
    organisation = organisation or world.enterprise
    by = by or (world.outsider if organisation == world.other_enterprise else None)
    by = by or world.users[Role.ENTERPRISE_USER]
    people = [make_employee(world, name, organisation=organisation, by=by) for name in names]
    return enrolling.enrol(by=by, training_class=training_class, employees=people)
