"""Decisions and titles of the grown applications: the committee's proposal confirmed and
released per category, the 公示 of the awards, the 公告 and the numbered titles.

This year's awards are in 公示 (its period runs now); last year's are granted. Release and
notice rows are shared with the demo's when it already has them for the campaign and category.
"""

from datetime import timedelta

from manyi.applications.states import Status
from manyi.campaigns.models import CampaignCategory
from manyi.campaigns.services import add_years
from manyi.portal.scale.bulk import insert
from manyi.titles.models import (
    Decision,
    DecisionRelease,
    NoticeKind,
    Proposal,
    PublicNotice,
    Title,
    TitleCounter,
    TitleStatus,
)
from manyi.titles.numbering import CATEGORY_CODES, PREFIX
from manyi.titles.services import title_subject

DECIDED = (Status.IN_NOTICE, Status.AWARDED, Status.NOT_AWARDED)
REASONS = {
    Proposal.AWARD: "用户满意度指数高于本类别门槛，专家评审一致建议授予，拟授予称号。",
    Proposal.NOT_AWARD: "用户满意度指数低于本类别门槛，专家评审建议不予授予。",
}
BENCHMARK_SHARE = 0.1


def take_title_numbers(year: int, category: str, count: int) -> list[str]:
    """The next `count` title numbers, as `numbering.next_title_number` gives them one by one."""
    counter = TitleCounter.objects.select_for_update().filter(year=year, category=category).first()
    if counter is None:
        counter = TitleCounter.objects.create(year=year, category=category, last=0)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [
        f"{PREFIX}-{year}-{CATEGORY_CODES[category]}-{n:04d}" for n in range(first, first + count)
    ]


def _release(world, campaign, category, at):
    release = DecisionRelease.objects.filter(campaign=campaign, category=category).first()
    return (
        release
        or insert(
            DecisionRelease,
            [
                DecisionRelease(
                    campaign=campaign, category=category, released_by=world.admin, released_at=at
                )
            ],
            dated=True,
        )[0]
    )


def _notice(world, campaign, category, kind, starts_on):
    notice = PublicNotice.objects.filter(campaign=campaign, category=category, kind=kind).first()
    if notice is not None:
        return notice
    days = (
        CampaignCategory.objects.filter(campaign=campaign, category=category)
        .values_list("public_notice_days", flat=True)
        .first()
        or 7
    )
    label = CampaignCategory(category=category).get_category_display()
    word = "公示" if kind == NoticeKind.PUBLICITY else "公告"
    return PublicNotice.objects.create(
        campaign=campaign,
        category=category,
        kind=kind,
        title=f"{campaign.year}年度广州市实施用户满意工程先进单位（{label}）{word}",
        body=f"经申报、推荐、审核和评价，现将{campaign.year}年度{label}评定结果予以{word}。",
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days) if kind == NoticeKind.PUBLICITY else None,
        published_by=world.admin,
    )


def write_outcomes(world, cases, applications, surveys: dict) -> int:
    """A released Decision for every decided application (its basis from its survey's result
    when it has one), and a Title for every award granted."""
    rng = world.rng
    decisions, titles = [], []
    groups: dict = {}
    for case, application in zip(cases, applications, strict=True):
        if case.status in DECIDED:
            groups.setdefault((case.era, application.category), []).append((case, application))
    for (era, category), members in sorted(groups.items()):
        campaign = world.campaign(era)
        accepted = min(case.when(Status.ACCEPTED) for case, _a in members)
        release = _release(world, campaign, category, accepted + timedelta(days=30))
        awarded = [(c, a) for c, a in members if c.status != Status.NOT_AWARDED]
        publicity = announcement = None
        if awarded:
            start = min(c.when(Status.IN_NOTICE) for c, _a in awarded).date()
            publicity = _notice(world, campaign, category, NoticeKind.PUBLICITY, start)
        granted = [(c, a) for c, a in members if c.status == Status.AWARDED]
        if granted:
            on = min(c.when(Status.AWARDED) for c, _a in granted).date()
            announcement = _notice(world, campaign, category, NoticeKind.ANNOUNCEMENT, on)
        numbers = iter(take_title_numbers(campaign.year, category, len(granted)) if granted else [])
        for case, application in members:
            award = case.status != Status.NOT_AWARDED
            proposal = Proposal.AWARD if award else Proposal.NOT_AWARD
            proposed = case.when(Status.ACCEPTED) + timedelta(days=rng.randrange(20, 40))
            benchmark = award and rng.random() < BENCHMARK_SHARE
            decisions.append(
                Decision(
                    application=application,
                    proposal=proposal,
                    reasons=REASONS[proposal],
                    benchmark=benchmark,
                    basis=surveys.get(application.pk, {}),
                    proposed_by=world.staff,
                    proposed_at=proposed,
                    confirmed_by=world.admin,
                    confirmed_at=proposed + timedelta(days=3),
                    release=release,
                    notice=publicity if award else None,
                )
            )
            if case.status == Status.AWARDED:
                start = announcement.starts_on  # the category's titles are granted together
                years = world.validity_years(era, category)
                titles.append(
                    Title(
                        number=next(numbers),
                        application=application,
                        organisation_id=application.organisation_id,
                        category=category,
                        subject=title_subject(application),
                        year=campaign.year,
                        benchmark=benchmark,
                        valid_from=start,
                        valid_until=add_years(start, years),
                        status=TitleStatus.VALID,
                        status_since=start,
                        announcement=announcement,
                        granted_at=case.when(Status.AWARDED),
                    )
                )
    insert(Decision, decisions)
    insert(Title, titles, dated=True)
    return len(decisions) + len(titles)
