"""The English interface shows no Chinese outside user data.

The demo world is loaded; each demo account, with the language cookie set to English, opens
every page that needs no argument and the detail pages of a few objects of each kind. Text a
person sees (and the words read out to screen readers, and the charts' labels) must hold no
CJK character once user data is removed: the names of organisations and people, addresses,
what was typed into forms, uploaded data and titles given by staff.

A failure lists, page by page, the snippets that still need translating.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse

from manyi.accounts.roles import ROLES_NEEDING_MFA
from manyi.common.changes import MAX_VALUE_CHARS
from manyi.common.demo_report import DemoReport
from manyi.portal.management.commands.load_demo import demo_loaders
from tests.conftest import give_totp
from tests.test_access_matrix import all_url_names

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Attributes whose words are shown (data-confirm: the question static/js asks) or read out.
SPOKEN_ATTRIBUTES = {
    "title",
    "aria-label",
    "placeholder",
    "alt",
    "aria-description",
    "data-confirm",
}
# Apps whose stored text is user data (Django's own tables hold none that is shown).
# reviews and titles: opinions, reasons, findings and the notices' official Chinese titles.
USER_DATA_APPS = {
    "accounts",
    "agencies",
    "programme",
    "training",
    "events",
    "diagnostics",
    "selfmeasure",
    "campaigns",
    "applications",
    "surveys",
    "common",
    "reviews",
    "titles",
    "supervision",
}
# Stored text written by the code, not by people: the model a run was computed with (its
# Chinese names must not hide a page that forgets the English ones) and the run's result.
NOT_USER_DATA = {
    ("surveys", "measurementrun"): {"model_spec", "result", "bootstrap_result", "options"},
}
# Each language's name is written in that language, so a Chinese reader finds it.
ALLOWED = {name for _code, name in settings.LANGUAGES}
# Pages that change the session or only redirect: not worth opening.
SKIPPED = {"account_logout", "set_language"}


class VisibleText(HTMLParser):
    """The text of a page as seen or heard: text nodes, spoken attributes, JSON chart data."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
            self._json = tag == "script" and attrs.get("type") == "application/json"
        for name in SPOKEN_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
            self._json = False

    def handle_data(self, data):
        if self._json:
            self.parts.extend(_strings(json.loads(data)))
        elif not self._skip:
            self.parts.append(data)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)] + [
            s for k in value for s in _strings(k)
        ]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def user_data() -> list[str]:
    """Every stored string holding CJK that people typed, uploaded or were named by: longest
    first, so a name is removed before a shorter name inside it."""
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in USER_DATA_APPS:
            continue
        skipped = NOT_USER_DATA.get((model._meta.app_label, model._meta.model_name), set())
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
            and f.attname not in skipped
        ]
        for row in model._default_manager.values_list(*fields):
            for value in row:
                found.update(s for s in _strings(value) if CJK.search(s))
    for user in apps.get_model("accounts", "User").objects.all():
        found.update(s for s in (user.full_name, str(user)) if CJK.search(s or ""))
    pieces = set(found)
    for text in found:
        # Long texts are shown a line or a paragraph at a time.
        pieces.update(line.strip() for line in text.splitlines() if CJK.search(line))
        # The activity log shows a value on one line, cut to its first characters.
        flat = " ".join(text.split())
        pieces.update((flat, flat[: MAX_VALUE_CHARS - 1]))
    return sorted(pieces, key=len, reverse=True)


def offending(html: str, data: list[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    snippets = []
    for part in parser.parts:
        text = " ".join(part.split())
        for value in (*data, *ALLOWED):
            if value in text:
                text = text.replace(value, " ")
        for match in re.finditer(r"\S*" + CJK.pattern + r"+\S*", text):
            snippets.append(match.group(0))
    return list(dict.fromkeys(snippets))


def detail_urls() -> list[str]:
    Application = apps.get_model("applications", "Application")
    Campaign = apps.get_model("campaigns", "Campaign")
    Organisation = apps.get_model("accounts", "Organisation")
    Run = apps.get_model("surveys", "MeasurementRun")
    Dataset = apps.get_model("surveys", "ResponseDataset")
    urls = []
    for application in Application.objects.order_by("pk")[:3]:
        urls.append(reverse("applications:detail", kwargs={"pk": application.pk}))
    for campaign in Campaign.objects.order_by("-year")[:1]:
        urls.append(reverse("campaigns:detail", kwargs={"year": campaign.year}))
    for run in Run.objects.order_by("pk"):
        urls.append(reverse("surveys:run_detail", kwargs={"pk": run.pk}))
    for dataset in Dataset.objects.order_by("pk")[:1]:
        urls.append(reverse("surveys:dataset_detail", kwargs={"pk": dataset.pk}))
    for org in Organisation.objects.filter(kind="enterprise").order_by("pk")[:1]:
        urls.append(reverse("accounts:organisation_detail", kwargs={"pk": org.pk}))
    return urls


def parameterless_urls() -> list[str]:
    urls = []
    for name in sorted(set(all_url_names())):
        if name in SKIPPED:
            continue
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls


def test_every_demo_page_reads_in_english(client):
    report = DemoReport()
    for module in demo_loaders():
        module.load_demo(report)
    data = user_data()
    details = detail_urls()
    urls = parameterless_urls() + details
    User = apps.get_model("accounts", "User")
    people = [None, *(User.objects.get(email=email) for _role, email, _org in report.accounts)]
    failures: dict[str, list[str]] = {}
    opened: set[str] = set()
    for person in people:
        client.logout()
        if person is not None:
            if person.memberships.filter(role__in=ROLES_NEEDING_MFA).exists():
                give_totp(person)
            client.force_login(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            opened.add(url)
            snippets = offending(response.content.decode(), data)
            if snippets:
                failures.setdefault(url, [])
                failures[url] += [s for s in snippets if s not in failures[url]]
    # Someone could open each detail page, so each was checked.
    assert [url for url in details if url not in opened] == []
    report_lines = [f"{url}: {' | '.join(snippets)}" for url, snippets in sorted(failures.items())]
    assert not failures, "Chinese in the English interface:\n" + "\n".join(report_lines)
