"""Objects the decision and notice tests share: evaluated applications with an index, the
path from proposal to a released 公示, objections and evidence files."""

import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.fieldwork.models import Questionnaire, QuestionnaireStatus, Survey, SurveyStatus
from manyi.surveys.models import MeasurementRun, ResponseDataset
from manyi.titles.decisions.services import confirm_decision, propose_decision, release_decisions
from manyi.titles.models import NoticeKind, Proposal, PublicNotice
from manyi.titles.notices.services import submit_objection
from tests.factories import OrganisationFactory
from tests.reviews.factories import accepted

_serial = itertools.count(1)

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\nstartxref\n0\n%%EOF\n"


def pdf_upload(name="证明.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def forged_upload(name="证明.pdf"):
    """An HTML page named as a PDF: refused by content."""
    return SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>", "application/pdf")


def with_index(world, application, index: float, interval=None):
    """A closed survey of `application` whose measurement gave `index` (and its interval)."""
    staff = world.users[Role.COMMITTEE_STAFF]
    questionnaire = Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).first()
    if questionnaire is None:
        from tests.fieldwork.factories import make_questionnaire

        questionnaire = make_questionnaire(staff, category=application.category)
    dataset = ResponseDataset.objects.create(
        title="测试数据",
        survey_year=application.campaign.year,
        organisation=world.committee,
        uploaded_by=staff,
        file_path="datasets/none.csv",
        original_name="none.csv",
        file_format="csv",
        sha256="0" * 64,
        size_bytes=1,
        n_rows=100,
        columns=[],
        numeric_columns=[],
    )
    low, high = interval or (index - 2, index + 2)
    run = MeasurementRun.objects.create(
        dataset=dataset,
        title="测试",
        model_name="china",
        model_spec={},
        data_hash="0" * 64,
        options={},
        seed=1,
        status="done",
        result={"index": {"SAT": index}},
        bootstrap_result={"index": {"SAT": {"percentile": [low, high]}}},
        created_by=staff,
    )
    today = timezone.localdate()
    return Survey.objects.create(
        application=application,
        campaign=application.campaign,
        firm=world.survey_firm,
        questionnaire=questionnaire,
        status=SurveyStatus.CLOSED,
        field_opens=today - timedelta(days=30),
        field_closes=today - timedelta(days=1),
        assigned_by=staff,
        run=run,
        dataset=dataset,
        summary={"n_usable": 100, "complaint_rate": 0.05},
    )


def evaluated(world, category="product", *, index=85.0, interval=None, organisation=None, **kw):
    """An accepted application of a new enterprise (unless given), with an index (None: no
    survey result yet)."""
    organisation = organisation or OrganisationFactory(
        name=f"评定测试{next(_serial)}有限公司", agency=world.agency
    )
    application = accepted(world, category, organisation=organisation, **kw)
    if index is not None:
        with_index(world, application, index, interval)
    return application


def confirmed(world, application, proposal=Proposal.AWARD, *, benchmark=False, reasons=None):
    decision = propose_decision(
        application=application,
        by=world.users[Role.COMMITTEE_STAFF],
        proposal=proposal,
        reasons=reasons
        or ("指数达到门槛，专家评审优良" if proposal == Proposal.AWARD else "指数未达门槛"),
        benchmark=benchmark,
    )
    return confirm_decision(decision=decision, by=world.users[Role.ASSOCIATION_ADMIN])


def released(world, category="product", *, awards=1, not_awards=0, campaign=None):
    """A category released with `awards` award proposals and `not_awards` others; returns
    (notice, [award applications], [others])."""
    winners = [evaluated(world, category, index=88.0, campaign=campaign) for _ in range(awards)]
    losers = [evaluated(world, category, index=70.0, campaign=campaign) for _ in range(not_awards)]
    for application in winners:
        confirmed(world, application)
    for application in losers:
        confirmed(world, application, Proposal.NOT_AWARD)
    campaign = (winners or losers)[0].campaign
    release_decisions(campaign=campaign, category=category, by=world.users[Role.ASSOCIATION_ADMIN])
    notice = PublicNotice.objects.filter(
        campaign=campaign, category=category, kind=NoticeKind.PUBLICITY
    ).first()
    return notice, winners, losers


def object_to(notice, application, *, ip="203.0.113.9", evidence=None, name="李四"):
    return submit_objection(
        notice=notice,
        application=application,
        name=name,
        contact="13912345678",
        reasons="该企业的用户名单中有虚构的用户。",
        evidence=evidence,
        ip=ip,
    )


def end_period(notice, days_ago=1):
    """Move the 公示's period into the past (as if the days had gone by)."""
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=timezone.localdate() - timedelta(days=10),
        ends_on=timezone.localdate() - timedelta(days=days_ago),
    )
    notice.refresh_from_db()
    return notice


def past_campaign(years_ago=4):
    """A closed campaign of an earlier year, every category set up, for objects that must not
    meet the current campaign's applications (the access matrix's)."""
    from manyi.campaigns.categories import Category
    from manyi.campaigns.models import Campaign, CampaignCategory, CampaignStatus

    year = timezone.localdate().year - years_ago
    now = timezone.now()
    campaign, created = Campaign.objects.get_or_create(
        year=year,
        defaults={
            "title": f"申报{year}年广州市实施用户满意工程先进单位",
            "status": CampaignStatus.CLOSED,
            "opens_at": now - timedelta(days=400),
            "closes_at": now - timedelta(days=300),
        },
    )
    if created:
        CampaignCategory.objects.bulk_create(
            CampaignCategory(campaign=campaign, category=c, data_year=year - 1)
            for c in Category.values
        )
    return campaign


def scored(world, application, values, recommendation="award"):
    """Submitted score sheets of len(values) experts, each giving every expert criterion
    `value` (capped at its maximum)."""
    from manyi.campaigns.models import CampaignCategory
    from manyi.reviews.models import (
        Assignment,
        CriterionSource,
        ExpertDraw,
        Score,
        ScoreSheet,
    )
    from manyi.reviews.scoring.rubric import ensure_rubric
    from tests.reviews.factories import make_expert

    criteria = ensure_rubric(
        CampaignCategory.objects.get(campaign=application.campaign, category=application.category)
    )
    draw = ExpertDraw.objects.create(
        application=application,
        seed=1,
        needed=len(values),
        drawn_by=world.users[Role.COMMITTEE_STAFF],
    )
    for position, value in enumerate(values):
        assignment = Assignment.objects.create(
            draw=draw, application=application, expert=make_expert(world), position=position
        )
        sheet = ScoreSheet.objects.create(
            assignment=assignment, recommendation=recommendation, submitted_at=timezone.now()
        )
        Score.objects.bulk_create(
            Score(sheet=sheet, criterion=c, value=min(value, c.max_score))
            for c in criteria
            if c.source == CriterionSource.EXPERT
        )
