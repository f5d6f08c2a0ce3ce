"""Invitations and reminders to the web questionnaire, and the staff's panel that follows them."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.fieldwork.models import ContactStatus, SampledContact, SurveyStatus
from manyi.fieldwork.web import services
from tests.fieldwork.factories import answers_for, form_data, make_survey

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/s/([\w-]{43})/")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def survey(world):
    return make_survey(world, category="brand")


@pytest.fixture
def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


def invite(survey, by, capture):
    with capture(execute=True):
        return services.send_invitations(survey=survey, by=by)


def remind(survey, by, capture):
    with capture(execute=True):
        return services.send_reminders(survey=survey, by=by)


def links_in(messages) -> list[str]:
    return [LINK.search(m.body_text).group(1) for m in messages]


# --- invitations ---------------------------------------------------------------------------


def test_invitations_go_to_drawn_contacts_with_an_email(
    survey, staff, django_capture_on_commit_callbacks
):
    expected = set(
        survey.contacts.filter(is_reserve=False).exclude(email="").values_list("email", flat=True)
    )
    assert survey.contacts.filter(is_reserve=True).exclude(email="").exists()  # could leak
    count = invite(survey, staff, django_capture_on_commit_callbacks)
    messages = OutboxMessage.objects.filter(template="fieldwork_invitation")
    assert count == len(expected)
    assert {m.to for m in messages} == expected
    invited = survey.contacts.filter(status=ContactStatus.INVITED)
    assert set(invited.values_list("email", flat=True)) == expected
    assert not invited.filter(invited_at__isnull=True).exists()
    assert (
        not survey.contacts.filter(is_reserve=True).exclude(status=ContactStatus.RESERVE).exists()
    )
    without_email = survey.contacts.filter(is_reserve=False, email="")
    assert not without_email.exclude(status=ContactStatus.PENDING).exists()
    assert len(mail.outbox) == len(expected)


def test_an_invitation_says_who_asks_why_how_long_and_until_when(
    survey, staff, world, django_capture_on_commit_callbacks
):
    invite(survey, staff, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.filter(template="fieldwork_invitation").first()
    assert world.enterprise.name in message.subject
    assert world.survey_firm.name in message.body_text
    assert "广州市用户委员会" in message.body_text
    assert "第二十二条" in message.body_text
    assert "分钟" in message.body_text
    close = survey.field_closes
    assert f"{close.year}年{close.month}月{close.day}日" in message.body_text
    assert "不会单独提供给被评价单位" in message.body_text
    assert LINK.search(message.body_text)


def test_each_invitation_link_opens_its_own_questionnaire(
    client, survey, staff, django_capture_on_commit_callbacks
):
    invite(survey, staff, django_capture_on_commit_callbacks)
    tokens = links_in(OutboxMessage.objects.filter(template="fieldwork_invitation"))
    assert len(set(tokens)) == len(tokens)
    assert client.get(reverse("survey:answer", args=[tokens[0]])).status_code == 200


def test_invitations_are_logged_with_their_count(survey, staff, django_capture_on_commit_callbacks):
    count = invite(survey, staff, django_capture_on_commit_callbacks)
    entry = ActivityLog.objects.get(action="survey.invite")
    assert entry.actor == staff
    assert entry.after == {"sent": count}
    assert entry.object_id == str(survey.pk)


def test_invitations_go_out_in_batches(
    survey, staff, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    count = invite(survey, staff, django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.filter(template="fieldwork_invitation").count() == count == 10
    assert cache.get(services.run_key(survey.pk)) is None  # the run is over


def test_a_second_invitation_run_finds_nobody_left(
    survey, staff, django_capture_on_commit_callbacks
):
    invite(survey, staff, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="没有待发送邀请的样本"):
        invite(survey, staff, django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.filter(template="fieldwork_invitation").count() == 10


def test_a_press_while_a_run_is_under_way_is_refused(survey, staff):
    cache.set(services.run_key(survey.pk), {"kind": "invite", "total": 10, "done": 2})
    with pytest.raises(ValidationError, match="正在发送中"):
        services.send_invitations(survey=survey, by=staff)
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("role", [Role.WORKDEPT_STAFF, Role.SURVEY_MANAGER, Role.SURVEYOR])
def test_only_the_staff_who_run_the_survey_send_invitations(survey, world, role):
    with pytest.raises(PermissionDenied):
        services.send_invitations(survey=survey, by=world.users[role])
    assert not OutboxMessage.objects.exists()
    assert not survey.contacts.filter(status=ContactStatus.INVITED).exists()


def test_no_invitations_before_the_field_opens(world, staff):
    sampled = make_survey(world, category="service", status=SurveyStatus.SAMPLED)
    with pytest.raises(ValidationError, match="已抽样"):
        services.send_invitations(survey=sampled, by=staff)
    assert not OutboxMessage.objects.exists()


def test_no_invitations_after_the_last_field_day(survey, staff):
    survey.field_closes = timezone.localdate() - datetime.timedelta(days=1)
    survey.save(update_fields=["field_closes"])
    with pytest.raises(ValidationError, match="已过"):
        services.send_invitations(survey=survey, by=staff)
    assert not OutboxMessage.objects.exists()


# --- reminders -----------------------------------------------------------------------------


def age_invitations(survey, days, **filters):
    survey.contacts.filter(status=ContactStatus.INVITED, **filters).update(
        invited_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_reminders_go_to_invited_contacts_after_three_days_with_a_new_link(
    client, survey, staff, django_capture_on_commit_callbacks
):
    invite(survey, staff, django_capture_on_commit_callbacks)
    invitations = list(OutboxMessage.objects.filter(template="fieldwork_invitation"))
    early = invitations[0].to
    age_invitations(survey, 4)
    age_invitations(survey, 1, email=early)
    count = remind(survey, staff, django_capture_on_commit_callbacks)
    reminders = OutboxMessage.objects.filter(template="fieldwork_reminder")
    assert count == 9
    assert early not in {m.to for m in reminders}
    reminded = survey.contacts.filter(reminders=1)
    assert reminded.count() == 9
    assert not reminded.filter(reminded_at__isnull=True).exists()
    old_token = links_in([m for m in invitations if m.to == reminders[0].to])[0]
    new_token = links_in([reminders[0]])[0]
    assert client.get(reverse("survey:answer", args=[old_token])).status_code == 404
    assert client.get(reverse("survey:answer", args=[new_token])).status_code == 200
    assert ActivityLog.objects.get(action="survey.remind").after == {"sent": 9}


def test_at_most_two_reminders_three_days_apart(survey, staff, django_capture_on_commit_callbacks):
    invite(survey, staff, django_capture_on_commit_callbacks)
    age_invitations(survey, 10)
    remind(survey, staff, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="没有需要提醒的样本"):
        remind(survey, staff, django_capture_on_commit_callbacks)  # the first was just now
    survey.contacts.update(reminded_at=timezone.now() - datetime.timedelta(days=4))
    remind(survey, staff, django_capture_on_commit_callbacks)
    survey.contacts.update(reminded_at=timezone.now() - datetime.timedelta(days=4))
    with pytest.raises(ValidationError, match="没有需要提醒的样本"):
        remind(survey, staff, django_capture_on_commit_callbacks)
    assert set(
        survey.contacts.filter(status=ContactStatus.INVITED).values_list("reminders", flat=True)
    ) == {2}
    assert OutboxMessage.objects.filter(template="fieldwork_reminder").count() == 20


def test_no_reminder_to_a_contact_who_answered(
    client, survey, staff, django_capture_on_commit_callbacks
):
    invite(survey, staff, django_capture_on_commit_callbacks)
    first = OutboxMessage.objects.filter(template="fieldwork_invitation").first()
    token = links_in([first])[0]
    client.post(
        reverse("survey:answer", args=[token]), form_data(answers_for(survey.questionnaire))
    )
    age_invitations(survey, 4)
    remind(survey, staff, django_capture_on_commit_callbacks)
    reminded = {m.to for m in OutboxMessage.objects.filter(template="fieldwork_reminder")}
    assert first.to not in reminded
    assert len(reminded) == 9


# --- the staff's pages ----------------------------------------------------------------------


def test_staff_send_invitations_from_the_survey_page(
    client_for, survey, django_capture_on_commit_callbacks
):
    client = client_for(Role.COMMITTEE_STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(reverse("fieldwork:send_invitations", args=[survey.pk]))
    assert reply.status_code == 302
    assert reply["Location"].endswith(f"/fieldwork/{survey.pk}/#invitations")
    assert OutboxMessage.objects.filter(template="fieldwork_invitation").count() == 10


def test_a_refused_press_is_explained_and_sends_nothing(client_for, survey):
    client = client_for(Role.COMMITTEE_STAFF)
    reply = client.post(reverse("fieldwork:send_reminders", args=[survey.pk]), follow=False)
    assert reply.status_code == 302
    stored = list(reply.wsgi_request._messages)
    assert "没有需要提醒的样本" in str(stored[0])
    assert not OutboxMessage.objects.exists()


def test_the_firm_manager_cannot_send_invitations(client_for, survey):
    reply = client_for(Role.SURVEY_MANAGER).post(
        reverse("fieldwork:send_invitations", args=[survey.pk])
    )
    assert reply.status_code == 403
    assert not OutboxMessage.objects.exists()


def test_the_panel_polls_while_a_run_is_under_way(client_for, survey):
    cache.set(services.run_key(survey.pk), {"kind": "invite", "total": 10, "done": 4})
    html = (
        client_for(Role.COMMITTEE_STAFF)
        .get(reverse("fieldwork:invitation_progress", args=[survey.pk]))
        .content.decode()
    )
    assert 'hx-trigger="every 2s"' in html
    assert 'value="4"' in html
    assert "send-invitations" not in html  # no button while sending


def test_the_panel_stops_polling_and_shows_the_figures_when_done(
    client_for, survey, staff, django_capture_on_commit_callbacks
):
    invite(survey, staff, django_capture_on_commit_callbacks)
    html = (
        client_for(Role.COMMITTEE_STAFF)
        .get(reverse("fieldwork:invitation_progress", args=[survey.pk]))
        .content.decode()
    )
    assert "hx-trigger" not in html
    assert re.search(r'data-figure="invited">10<', html)
    assert re.search(r'data-figure="with_email">10<', html)


def test_the_firm_sees_the_panel_without_buttons(client_for, survey):
    html = (
        client_for(Role.SURVEY_MANAGER)
        .get(reverse("fieldwork:invitation_progress", args=[survey.pk]))
        .content.decode()
    )
    assert 'data-figure="with_email"' in html
    assert "send-invitations" not in html


def test_another_firm_does_not_see_the_panel(client_for, survey, world):
    reply = client_for(world.other_firm_manager).get(
        reverse("fieldwork:invitation_progress", args=[survey.pk])
    )
    assert reply.status_code == 404


def render_section(survey, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load fieldwork_web %}{% invitations_section %}")
    return template.render(Context({"survey": survey, "request": request}))


def test_the_section_is_empty_before_the_field_opens(world, staff):
    sampled = make_survey(world, category="service", status=SurveyStatus.SAMPLED)
    assert render_section(sampled, staff) == ""


def test_the_section_offers_the_button_to_staff_in_the_field(survey, staff):
    html = render_section(survey, staff)
    assert 'data-action="send-invitations"' in html
    assert SampledContact.objects.filter(survey=survey, status=ContactStatus.PENDING).exists()
