"""The decision pack: one ZIP per decided application, so the decision can be audited years later.

It holds the application and 附件2 PDFs, the materials as text, the evidence files, the
customer list's hash and row count (never a customer), the survey's seed and list hash, the
measurement run, the expert draw, the assigned experts' declarations, every score sheet (JSON
and CSV), the similarity flags, the formal review and deficiency notice, the decision, the
objections (without the objector's name, contact or address), the title, the activity-log
extract of the application and its related objects, and `manifest.json` with the SHA-256 of
every file. A part that does not exist (no survey, no title, a file gone) is listed in the
manifest as absent; it is never an error.

The ZIP is written to an anonymous temporary file (unlinked from the start, so nothing is left
behind even if the process dies), and the view streams it.
"""

import csv
import hashlib
import io
import json
import logging
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from manyi.common.models import ActivityLog
from manyi.common.services import log_activity
from manyi.titles.access import DECISION_PACK

logger = logging.getLogger(__name__)

# Keys of an objection's log entries that could name or reach the objector.
PRIVATE_KEYS = {"name", "contact", "email", "phone", "ip", "token", "token_hash"}
OPEN_COST = 64 * 1024


@dataclass
class DecisionPack:
    file: IO[bytes]
    filename: str
    size: int
    manifest: dict


def _json(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode("utf-8")


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.display_name, "email": user.email}


class _Pack:
    """The ZIP being written, with the manifest's lists of present and absent parts."""

    def __init__(self, target):
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.files: list[dict] = []
        self.absent: list[dict] = []

    def add(self, path: str, content: bytes, description: str) -> None:
        self.zip.writestr(path, content)
        self.files.append(
            {
                "path": path,
                "sha256": hashlib.sha256(content).hexdigest(),
                "bytes": len(content),
                "description": description,
            }
        )

    def add_file(self, path: str, source, description: str) -> None:
        """A stored file, copied in chunks (evidence can be large)."""
        digest = hashlib.sha256()
        size = 0
        with source.open("rb") as src, self.zip.open(path, "w") as dst:
            while chunk := src.read(OPEN_COST):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
        self.files.append(
            {"path": path, "sha256": digest.hexdigest(), "bytes": size, "description": description}
        )

    def missing(self, part: str, description: str, reason: str) -> None:
        self.absent.append({"part": part, "description": description, "reason": reason})


# ------------------------------------------------------------------------------------------
# The parts


def _documents(pack: _Pack, application) -> None:
    from manyi.applications.documents.pdf import application_pdf, confirmation_pdf
    from manyi.applications.selectors import carried_confirmation

    try:
        pack.add("application.pdf", application_pdf(application), "申请表（附件4）PDF")
    except Exception:  # a rendering failure must not lose the rest of the pack
        logger.exception("decision pack: application PDF of %s", application.pk)
        pack.missing("application.pdf", "申请表（附件4）PDF", "生成失败")
    confirmation, version = carried_confirmation(application)
    if confirmation is None:
        pack.missing("confirmation.pdf", "活动确认表（附件2）PDF", "无活动确认表")
        return
    try:
        pack.add(
            "confirmation.pdf", confirmation_pdf(confirmation, version), "活动确认表（附件2）PDF"
        )
    except Exception:  # as above
        logger.exception("decision pack: confirmation PDF of %s", application.pk)
        pack.missing("confirmation.pdf", "活动确认表（附件2）PDF", "生成失败")


def _materials(pack: _Pack, application) -> None:
    from manyi.applications.forms.specs import form_spec

    spec = form_spec(application.category)
    parts = []
    for material in spec.materials:
        heading = f"{material.number}、{material.title_for(spec.code)}"
        parts.append(f"{heading}\n\n{(getattr(application, material.key) or '').strip()}\n")
    pack.add("materials.txt", "\n\n".join(parts).encode("utf-8"), "四项材料（文本）")


def _evidence(pack: _Pack, application) -> None:
    from manyi.applications.evidence import download_name
    from manyi.common.files import private_path

    attachments = list(application.attachments.order_by("pk"))
    if not attachments:
        pack.missing("evidence/", "证明材料", "无证明材料")
    for attachment in attachments:
        name = download_name(attachment.original_name, attachment.content_type)
        path = f"evidence/{attachment.pk}-{attachment.kind}-{name}"
        description = (
            f"证明材料：{attachment.get_kind_display()}（上传时 SHA-256 {attachment.sha256}）"
        )
        try:
            source = private_path(attachment.file_path)
            if not source.is_file():
                raise FileNotFoundError(attachment.file_path)
            pack.add_file(path, source, description)
        except (OSError, ValueError):
            pack.missing(path, description, "文件已不存在")


def _customers(pack: _Pack, application) -> None:
    current = application.customer_lists.filter(is_current=True).first()
    if current is None:
        pack.missing("customer_list.json", "用户名单（附件3）指纹", "无已接受的用户名单")
        return
    pack.add(
        "customer_list.json",
        _json(
            {
                "original_name": current.original_name,
                "status": current.status,
                "sha256": current.sha256,
                "row_count": current.row_count,
                "uploaded_at": current.uploaded_at,
                "finished_at": current.finished_at,
            }
        ),
        "用户名单（附件3）的 SHA-256 和行数（不含用户信息）",
    )


def _survey(pack: _Pack, application, by) -> None:
    from manyi.fieldwork.selectors import survey_of_application
    from manyi.surveys.exports import export_run_json

    survey = survey_of_application(application)
    if survey is None:
        pack.missing("survey.json", "第三方用户评价调查", "无调查")
        pack.missing("measurement_run.json", "满意度测评结果", "无调查")
        return
    pack.add(
        "survey.json",
        _json(
            {
                "status": survey.status,
                "firm": survey.firm.name if survey.firm_id else None,
                "questionnaire": str(survey.questionnaire),
                "list_hash": survey.list_hash,
                "seed": survey.seed,
                "sample_size": survey.sample_size,
                "reserve_size": survey.reserve_size,
                "target_completes": survey.target_completes,
                "margin": survey.margin,
                "confidence": survey.confidence,
                "strata": survey.strata,
                "field_opens": survey.field_opens,
                "field_closes": survey.field_closes,
                "drawn_at": survey.drawn_at,
                "closed_at": survey.closed_at,
                "released_at": survey.released_at,
                "summary": survey.summary,
            }
        ),
        "调查的抽样种子、名单指纹和结果摘要",
    )
    if survey.run is None:
        pack.missing("measurement_run.json", "满意度测评结果", "尚无测评结果")
        return
    pack.add(
        "measurement_run.json",
        export_run_json(run=survey.run, by=by),
        "满意度测评（模型、数据指纹、种子、结果）",
    )


def _experts(pack: _Pack, application) -> list:
    """The draw and the assigned experts' declarations; returns the assignments."""
    from manyi.reviews.models import Assignment, Declaration, ExpertDraw

    draw = ExpertDraw.objects.filter(application=application).select_related("drawn_by").first()
    if draw is None:
        pack.missing("experts/draw.json", "专家抽取", "未抽取专家")
        pack.missing("experts/declarations.json", "专家声明", "未抽取专家")
        return []
    assignments = list(
        Assignment.objects.filter(application=application)
        .select_related("expert", "changed_by")
        .order_by("position", "pk")
    )
    pack.add(
        "experts/draw.json",
        _json(
            {
                "seed": draw.seed,
                "needed": draw.needed,
                "candidates": draw.candidates,
                "excluded": draw.excluded,
                "drawn_by": _person(draw.drawn_by),
                "drawn_at": draw.drawn_at,
                "assignments": [
                    {
                        "expert": _person(a.expert),
                        "position": a.position,
                        "status": a.status,
                        "reason": a.reason,
                        "changed_by": _person(a.changed_by),
                        "changed_at": a.changed_at,
                        "created_at": a.created_at,
                    }
                    for a in assignments
                ],
            }
        ),
        "专家抽取：随机种子、候选名单、回避名单、指派和替换",
    )
    declarations = (
        Declaration.objects.filter(
            campaign_id=application.campaign_id, expert_id__in=[a.expert_id for a in assignments]
        )
        .select_related("expert")
        .prefetch_related("conflicts")
        .order_by("expert_id")
    )
    pack.add(
        "experts/declarations.json",
        _json(
            [
                {
                    "expert": _person(d.expert),
                    "signed_at": d.signed_at,
                    "text": d.text,
                    "conflicts": [o.name for o in d.conflicts.all()],
                    "competitors": [line for line in d.competitors.splitlines() if line.strip()],
                }
                for d in declarations
            ]
        ),
        "指派专家的保密和无利益冲突声明",
    )
    return assignments


SCORE_COLUMNS = [
    "expert",
    "assignment_status",
    "criterion",
    "criterion_name",
    "source",
    "weight",
    "max_score",
    "value",
    "comment",
    "recommendation",
    "submitted_at",
]


def _scores(pack: _Pack, application, assignments) -> None:
    from manyi.reviews.models import ScoreSheet

    sheets = list(
        ScoreSheet.objects.filter(assignment__application=application)
        .select_related("assignment__expert")
        .prefetch_related("scores__criterion")
        .order_by("assignment__position", "pk")
    )
    if not sheets:
        pack.missing("experts/scores.json", "专家评分表", "无评分表")
        return
    data, rows = [], []
    for sheet in sheets:
        scores = sorted(sheet.scores.all(), key=lambda s: (s.criterion.order, s.criterion_id))
        expert = sheet.assignment.expert
        data.append(
            {
                "expert": _person(expert),
                "assignment_status": sheet.assignment.status,
                "recommendation": sheet.recommendation,
                "comment": sheet.comment,
                "visited_on": sheet.visited_on,
                "visit_findings": sheet.visit_findings,
                "submitted_at": sheet.submitted_at,
                "scores": [
                    {
                        "criterion": s.criterion.code,
                        "name": s.criterion.name_zh,
                        "source": s.criterion.source,
                        "weight": s.criterion.weight,
                        "max_score": s.criterion.max_score,
                        "value": s.value,
                        "comment": s.comment,
                    }
                    for s in scores
                ],
            }
        )
        for s in scores:
            rows.append(
                [
                    expert.display_name,
                    sheet.assignment.status,
                    s.criterion.code,
                    s.criterion.name_zh,
                    s.criterion.source,
                    s.criterion.weight,
                    s.criterion.max_score,
                    s.value,
                    s.comment,
                    sheet.recommendation,
                    sheet.submitted_at.isoformat() if sheet.submitted_at else "",
                ]
            )
    pack.add("experts/scores.json", _json(data), "专家评分表（JSON）")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SCORE_COLUMNS)
    writer.writerows(rows)
    # With a byte-order mark, so Excel opens the Chinese text as UTF-8.
    pack.add("experts/scores.csv", ("\ufeff" + out.getvalue()).encode("utf-8"), "专家评分表（CSV）")


def _similarity(pack: _Pack, application) -> None:
    from manyi.reviews.models import SimilarityFlag

    flags = (
        SimilarityFlag.objects.filter(Q(application=application) | Q(other=application))
        .select_related("application", "other", "run")
        .order_by("pk")
    )
    pack.add(
        "similarity.json",
        _json(
            [
                {
                    "kind": f.kind,
                    "application": f.application.number,
                    "section": f.section,
                    "other": f.other.number if f.other_id else None,
                    "other_section": f.other_section,
                    "share": f.share,
                    "detail": f.detail,
                    "status": f.status,
                    "review_note": f.review_note,
                    "reviewed_at": f.reviewed_at,
                    "run": {"id": f.run_id, "threshold": f.run.threshold, "at": f.run.finished_at},
                }
                for f in flags
            ]
        ),
        "材料相似度比对和评价意见关联核查的结果（无则为空列表）",
    )


def _formal_review(pack: _Pack, application) -> None:
    from manyi.reviews.models import DeficiencyNotice, FormalReview

    review = FormalReview.objects.filter(application=application).first()
    if review is None:
        pack.missing("formal_review.json", "形式审查（审核意见）", "无形式审查记录")
    else:
        pack.add(
            "formal_review.json",
            _json(
                {
                    "checks": review.checks,
                    "opinion": review.opinion,
                    "outcome": review.outcome,
                    "opinion_by": _person(review.opinion_by),
                    "opinion_at": review.opinion_at,
                }
            ),
            "形式审查记录和审核意见",
        )
    notice = DeficiencyNotice.objects.filter(application=application).first()
    if notice is None:
        pack.missing("deficiency_notice.json", "补正通知（一次性告知）", "未发出补正通知")
        return
    pack.add(
        "deficiency_notice.json",
        _json(
            {
                "items": notice.items,
                "note": notice.note,
                "deadline": notice.deadline,
                "issued_by": _person(notice.issued_by),
                "issued_at": notice.issued_at,
                "reply": notice.reply,
                "completed_at": notice.completed_at,
            }
        ),
        "补正通知（一次性告知）和补正说明",
    )


def _decision(pack: _Pack, application):
    from manyi.titles.models import Decision

    decision = (
        Decision.objects.filter(application=application)
        .select_related("proposed_by", "confirmed_by", "release__released_by", "notice")
        .first()
    )
    if decision is None:
        pack.missing("decision.json", "评定意见", "无评定意见")
        return None
    release = decision.release
    pack.add(
        "decision.json",
        _json(
            {
                "proposal": decision.proposal,
                "reasons": decision.reasons,
                "benchmark": decision.benchmark,
                "basis": decision.basis,
                "proposed_by": _person(decision.proposed_by),
                "proposed_at": decision.proposed_at,
                "confirmed_by": _person(decision.confirmed_by),
                "confirmed_at": decision.confirmed_at,
                "released_by": _person(release.released_by) if release else None,
                "released_at": release.released_at if release else None,
                "notice": (
                    {
                        "title": decision.notice.title,
                        "starts_on": decision.notice.starts_on,
                        "ends_on": decision.notice.ends_on,
                    }
                    if decision.notice_id
                    else None
                ),
                "withdrawn_at": decision.withdrawn_at,
            }
        ),
        "评定意见、确认、发布和公示",
    )
    return decision


def _objections(pack: _Pack, application) -> list:
    objections = list(application.objections.select_related("investigator").order_by("pk"))
    # Never the objector's name, contact, follow-up token or evidence file: only its hash.
    pack.add(
        "objections.json",
        _json(
            [
                {
                    "id": o.pk,
                    "received_at": o.received_at,
                    "reasons": o.reasons,
                    "evidence_sha256": o.evidence_sha256 or None,
                    "status": o.status,
                    "investigator": _person(o.investigator),
                    "assigned_at": o.assigned_at,
                    "findings": o.findings,
                    "decided_at": o.decided_at,
                }
                for o in objections
            ]
        ),
        "公示期异议及调查结论（不含异议人姓名和联系方式）",
    )
    return objections


def _title(pack: _Pack, application):
    from manyi.titles.models import Title

    title = Title.objects.filter(application=application).first()
    if title is None:
        pack.missing("title.json", "称号", "未授予称号")
        return None
    pack.add(
        "title.json",
        _json(
            {
                "number": title.number,
                "organisation": title.organisation.name,
                "category": title.category,
                "subject": title.subject,
                "year": title.year,
                "benchmark": title.benchmark,
                "valid_from": title.valid_from,
                "valid_until": title.valid_until,
                "status": title.status,
                "status_since": title.status_since,
                "granted_at": title.granted_at,
            }
        ),
        "称号和证书编号",
    )
    return title


def _related_objects(application, *, assignments, decision, objections, title) -> Q:
    """The activity-log entries about the application or one of its related objects."""
    from manyi.fieldwork.models import Survey, SurveyPurpose
    from manyi.reviews.models import (
        DeficiencyNotice,
        ExpertDraw,
        FormalReview,
        ScoreSheet,
        SimilarityFlag,
    )

    ids: dict[str, list] = {
        "applications.application": [application.pk],
        "applications.customerlist": list(application.customer_lists.values_list("pk", flat=True)),
        "applications.attachment": list(application.attachments.values_list("pk", flat=True)),
        "fieldwork.survey": list(
            Survey.objects.filter(
                application=application, purpose=SurveyPurpose.APPLICATION
            ).values_list("pk", flat=True)
        ),
        "reviews.formalreview": list(
            FormalReview.objects.filter(application=application).values_list("pk", flat=True)
        ),
        "reviews.deficiencynotice": list(
            DeficiencyNotice.objects.filter(application=application).values_list("pk", flat=True)
        ),
        "reviews.expertdraw": list(
            ExpertDraw.objects.filter(application=application).values_list("pk", flat=True)
        ),
        "reviews.assignment": [a.pk for a in assignments],
        "reviews.scoresheet": list(
            ScoreSheet.objects.filter(assignment__application=application).values_list(
                "pk", flat=True
            )
        ),
        "reviews.similarityflag": list(
            SimilarityFlag.objects.filter(
                Q(application=application) | Q(other=application)
            ).values_list("pk", flat=True)
        ),
        "titles.decision": [decision.pk] if decision else [],
        "titles.objection": [o.pk for o in objections],
        "titles.title": [title.pk] if title else [],
    }
    query = Q(pk__in=[])
    for object_type, pks in ids.items():
        if pks:
            query |= Q(object_type=object_type, object_id__in=[str(pk) for pk in pks])
    return query


def _scrub(entry: ActivityLog, data):
    """An objection's log data without anything that could name or reach the objector."""
    if entry.object_type != "titles.objection" or not isinstance(data, dict):
        return data
    return {k: v for k, v in data.items() if k not in PRIVATE_KEYS}


def _activity(pack: _Pack, query: Q) -> None:
    entries = ActivityLog.objects.filter(query).order_by("at", "pk")
    pack.add(
        "activity_log.json",
        _json(
            [
                {
                    "at": e.at,
                    "actor": e.actor_label,
                    "organisation_id": e.organisation_id,
                    # The objector's address is private like their name.
                    "ip": None if e.object_type == "titles.objection" else e.ip,
                    "action": e.action,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "object": e.object_repr,
                    "before": _scrub(e, e.before),
                    "after": _scrub(e, e.after),
                    "note": e.note,
                }
                for e in entries.iterator()
            ]
        ),
        "申报及相关对象的操作日志摘录",
    )


# ------------------------------------------------------------------------------------------
# The door


def pack_filename(application) -> str:
    return f"decision-pack-{application.number or application.pk}.zip"


def build_decision_pack(*, application, by) -> DecisionPack:
    """The decision pack of a decided application, in an anonymous temporary file positioned at
    its start (the caller streams and closes it).

    Side effects, in order: the measurement run's export entry (when there is a run), an
    activity-log entry ("application.decision_pack") with the manifest's hash.
    """
    DECISION_PACK.require(by, application)
    # Handed to the caller (the response streams and closes it), so no `with` here.
    target = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115
    try:
        pack = _Pack(target)
        _documents(pack, application)
        _materials(pack, application)
        _evidence(pack, application)
        _customers(pack, application)
        _survey(pack, application, by)
        assignments = _experts(pack, application)
        _scores(pack, application, assignments)
        _similarity(pack, application)
        _formal_review(pack, application)
        decision = _decision(pack, application)
        objections = _objections(pack, application)
        title = _title(pack, application)
        _activity(
            pack,
            _related_objects(
                application,
                assignments=assignments,
                decision=decision,
                objections=objections,
                title=title,
            ),
        )
        manifest = {
            "application": {
                "id": application.pk,
                "number": application.number,
                "organisation": application.organisation.name,
                "category": application.category,
                "year": application.campaign.year,
                "status": application.status,
            },
            "generated_at": timezone.now(),
            "generated_by": _person(by),
            "algorithm": "sha256",
            "files": pack.files,
            "absent": pack.absent,
        }
        manifest_bytes = _json(manifest)
        pack.zip.writestr("manifest.json", manifest_bytes)
        pack.zip.close()
        size = target.tell()
        target.seek(0)
    except BaseException:
        target.close()
        raise
    log_activity(
        actor=by,
        action="application.decision_pack",
        obj=application,
        organisation=application.organisation,
        after={
            "files": len(pack.files),
            "absent": [a["part"] for a in pack.absent],
            "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
        },
    )
    return DecisionPack(
        file=target, filename=pack_filename(application), size=size, manifest=manifest
    )
