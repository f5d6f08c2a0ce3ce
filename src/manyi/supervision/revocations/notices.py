"""Public notices (Art. 24, 26): the year's notice of revocations and disqualifications, and
each 通报批评; services that publish them and render them as PDF.

A notice's rows are frozen when it is published (`DisciplineNotice.entries`), so it never
changes. A year's notice may be published again when what it would list has changed (a
revocation that took effect later in the year, a correction): the new version names the one
it replaces, and the public list marks the old one as replaced.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.common.pdf import OFFICIAL_LANGUAGE
from manyi.common.punctuation import local_date
from manyi.common.services import log_activity
from manyi.supervision.models import DisciplineNotice, DisciplineNoticeKind, Revocation
from manyi.supervision.revocations import selectors
from manyi.supervision.revocations.access import PUBLISH_NOTICE

FIRST_YEAR = 2000


# ------------------------------------------------------------------------------------------
# 通报批评 (Art. 26)


def criticism_title(case: Revocation) -> str:
    with translation.override(OFFICIAL_LANGUAGE):
        return _("关于对%(organisation)s予以通报批评的通报") % {
            "organisation": case.title.organisation.name
        }


def criticism_text(case: Revocation, *, decided_on: date) -> str:
    """The standard text of a 通报批评 for a fraud revocation (the administrator may write
    another)."""
    from manyi.campaigns.models import BAN_YEARS
    from manyi.campaigns.services import add_years
    from manyi.titles.certificates.services import title_name

    title = case.title
    with translation.override(OFFICIAL_LANGUAGE):
        return _(
            "经查，%(organisation)s在参与广州市实施用户满意工程活动中，通过提供虚假申报材料等"
            "不正当手段，骗取%(year)s年度“%(name)s”称号（称号对象：%(subject)s，证书编号："
            "%(number)s）。\n根据《广州市实施用户满意工程管理办法》第二十六条，广州市质量协会"
            "决定：撤销其称号，收回证书、牌匾，予以通报批评；自%(start)s起五年内（至%(end)s）"
            "不再受理其参与活动的资格申报。\n希望各参与单位引以为戒，诚信申报。"
        ) % {
            "organisation": title.organisation.name,
            "year": title.year,
            "name": title_name(title),
            "subject": title.subject,
            "number": title.number,
            "start": local_date(decided_on),
            "end": local_date(add_years(decided_on, BAN_YEARS)),
        }


def publish_criticism(*, case: Revocation, by, text: str, today: date) -> DisciplineNotice:
    """The public 通报批评 of a fraud revocation, published at once (called inside the
    decision's transaction by `services.decide_revocation`). Side effects: the notice with the
    revoked title as its one row; an activity-log entry "discipline_notice.publish"."""
    from manyi.titles.certificates.services import title_name

    with translation.override(OFFICIAL_LANGUAGE):
        entry = selectors.revocation_entry(case, title_name(case.title))
    notice = DisciplineNotice.objects.create(
        kind=DisciplineNoticeKind.CRITICISM,
        year=today.year,
        title=criticism_title(case),
        body=(text or "").strip() or criticism_text(case, decided_on=today),
        revocation=case,
        entries=[entry],
        published_by=by,
    )
    log_activity(
        actor=by,
        action="discipline_notice.publish",
        obj=notice,
        organisation=case.title.organisation,
        after={"kind": notice.kind, "year": notice.year, "revocation": case.pk},
    )
    return notice


# ------------------------------------------------------------------------------------------
# The year's notice (Art. 24)


def annual_title(year: int, *, corrected: bool) -> str:
    with translation.override(OFFICIAL_LANGUAGE):
        if corrected:
            return _("%(year)s年度撤销称号和取消资格公示（更正）") % {"year": year}
        return _("%(year)s年度撤销称号和取消资格公示") % {"year": year}


def annual_body(year: int, *, replaces: DisciplineNotice | None) -> str:
    with translation.override(OFFICIAL_LANGUAGE):
        body = _(
            "根据《广州市实施用户满意工程管理办法》第二十四条，现将%(year)s年度被撤销广州市实施"
            "用户满意工程先进单位称号的组织，以及被取消参与活动资格的推进机构等组织和人员予以"
            "公示。被撤销称号的组织自撤销生效之日起不得继续使用该称号，并应交回证书、牌匾。"
        ) % {"year": year}
        if replaces is not None:
            body += "\n" + _("本公示更正并取代%(date)s发布的《%(title)s》。") % {
                "date": local_date(replaces.published_at),
                "title": replaces.title,
            }
    return body


def publish_annual_notice(*, year: int, by) -> DisciplineNotice:
    """Publish `year`'s notice of revoked titles and public sanctions (Art. 24), its rows
    frozen as they stand today (`selectors.annual_entries`).

    Refused for anyone but the administrator, for a year to come, when there is nothing to
    list, and when the year's latest notice already lists exactly the same (a second version
    is published only when something changed). Side effects, in one transaction: the
    notice (a corrected version naming the one it replaces, when the year has one); an
    activity-log entry "discipline_notice.publish".
    """
    PUBLISH_NOTICE.require(by, year)
    today = timezone.localdate()
    if not isinstance(year, int) or not FIRST_YEAR <= year <= today.year:
        raise ValidationError({"year": _("只能发布本年度及以前年度的公示")})
    entries = selectors.annual_entries(year, today=today)
    if not entries:
        raise ValidationError(
            _("%(year)d年度没有已生效的撤销称号，也没有应予公示的处理决定，无需发布")
            % {"year": year}
        )
    with transaction.atomic():
        earlier = list(
            DisciplineNotice.objects.select_for_update()
            .filter(kind=DisciplineNoticeKind.ANNUAL, year=year)
            .order_by("-published_at", "-pk")
        )
        latest = earlier[0] if earlier else None
        if latest is not None and latest.entries == entries:
            raise ValidationError(
                _("%(date)s 发布的公示已列明上述全部内容，无需重新发布")
                % {"date": local_date(latest.published_at)}
            )
        notice = DisciplineNotice.objects.create(
            kind=DisciplineNoticeKind.ANNUAL,
            year=year,
            title=annual_title(year, corrected=latest is not None),
            body=annual_body(year, replaces=latest),
            entries=entries,
            published_by=by,
        )
        log_activity(
            actor=by,
            action="discipline_notice.publish",
            obj=notice,
            after={
                "kind": notice.kind,
                "year": year,
                "version": len(earlier) + 1,
                "replaces": latest.pk if latest else None,
                "revocations": sum(e["section"] == "revocation" for e in entries),
                "sanctions": sum(e["section"] == "sanction" for e in entries),
            },
        )
    return notice


# ------------------------------------------------------------------------------------------
# The notice as a document


def notice_pdf(*, notice: DisciplineNotice) -> bytes:
    """The notice as an official document (always Chinese), signed by the association with
    the date it was published; public, so not logged."""
    from manyi.common.pdf import render_pdf
    from manyi.titles.certificates.selectors import association

    revocations, sanctions = selectors.sections(notice)
    issuer = association()
    return render_pdf(
        "supervision/notices/notice_pdf.html",
        {
            "notice": notice,
            "revocations": revocations,
            "sanctions": sanctions,
            "issuer": issuer.name if issuer else "",
        },
    )
