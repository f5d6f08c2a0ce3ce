"""The decision pack: one ZIP per decided application, every file hashed in its manifest,
missing parts listed as absent, no objector's name or contact, logged, staff only."""

import hashlib
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications.models import Attachment, AttachmentKind
from manyi.campaigns.models import CampaignCategory
from manyi.common.files import store_upload
from manyi.common.models import ActivityLog
from manyi.reviews.models import (
    Assignment,
    CriterionSource,
    DeficiencyNotice,
    ExpertDraw,
    FlagKind,
    FormalReview,
    ReviewOutcome,
    RubricCriterion,
    Score,
    ScoreSheet,
    SimilarityFlag,
    SimilarityRun,
)
from manyi.titles.pack.services import build_decision_pack
from manyi.titles.services import grant_title
from tests.reviews.factories import accepted, make_expert
from tests.titles.decision_helpers import PDF_BYTES, object_to, pdf_upload, released

pytestmark = pytest.mark.django_db

OBJECTOR = "李四"
OBJECTOR_CONTACT = "13912345678"


def _review_records(world, application):
    """What the review packages would have recorded: the formal review and its notice, an
    expert draw with declarations and a submitted score sheet, a similarity flag."""
    staff = world.users[Role.COMMITTEE_STAFF]
    now = timezone.now()
    FormalReview.objects.create(
        application=application,
        checks={"forms": {"ok": True, "note": ""}},
        opinion="材料齐全，同意受理。",
        outcome=ReviewOutcome.ACCEPTED,
        opinion_by=staff,
        opinion_at=now,
    )
    DeficiencyNotice.objects.create(
        application=application,
        items=[{"code": "evidence", "text": "缺少商标注册证明"}],
        deadline=timezone.localdate(),
        issued_by=staff,
        reply="已补充上传。",
        completed_at=now,
    )
    experts = [make_expert(world, campaign=application.campaign) for _ in range(2)]
    draw = ExpertDraw.objects.create(
        application=application,
        seed=20260417,
        needed=2,
        candidates=[e.pk for e in experts],
        excluded={"999": "同一单位"},
        drawn_by=staff,
    )
    assignments = [
        Assignment.objects.create(draw=draw, application=application, expert=e, position=i)
        for i, e in enumerate(experts)
    ]
    campaign_category = CampaignCategory.objects.get(
        campaign=application.campaign, category=application.category
    )
    criterion = RubricCriterion.objects.create(
        campaign_category=campaign_category,
        code="measures",
        name_zh="用户满意工程措施",
        source=CriterionSource.EXPERT,
        weight=Decimal("40"),
    )
    sheet = ScoreSheet.objects.create(
        assignment=assignments[0], recommendation="award", comment="措施扎实", submitted_at=now
    )
    Score.objects.create(sheet=sheet, criterion=criterion, value=Decimal("8.5"), comment="好")
    run = SimilarityRun.objects.create(campaign=application.campaign, status="done")
    SimilarityFlag.objects.create(
        run=run,
        kind=FlagKind.TEXT,
        application=application,
        section="measures",
        share=Decimal("0.412"),
        detail=[{"a": "相同段落", "b": "相同段落", "length": 4}],
    )


def _evidence(world, application) -> Attachment:
    path, digest, size = store_upload(
        SimpleUploadedFile("商标注册证.pdf", PDF_BYTES), folder="evidence", suffix=".pdf"
    )
    return Attachment.objects.create(
        application=application,
        kind=AttachmentKind.TRADEMARK,
        file_path=path,
        original_name="商标注册证.pdf",
        content_type="application/pdf",
        size_bytes=size,
        sha256=digest,
        uploaded_by=world.users[Role.ENTERPRISE_USER],
    )


@pytest.fixture
def decided(world):
    """An awarded application with every part: survey and run, review records, evidence, a
    released decision, an objection with evidence (from a named objector), and its title."""
    notice, winners, _losers = released(world, "product")
    application = winners[0]
    _review_records(world, application)
    _evidence(world, application)
    object_to(notice, application, name=OBJECTOR, evidence=pdf_upload())
    grant_title(application=application, by=world.users[Role.COMMITTEE_STAFF])
    application.refresh_from_db()
    return application


def download(client, application):
    response = client.get(reverse("titles:decision_pack", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    content = b"".join(response.streaming_content)
    response.close()
    return zipfile.ZipFile(io.BytesIO(content))


def test_the_manifest_lists_every_file_with_its_correct_hash(world, client_for, decided):
    pack = download(client_for(Role.COMMITTEE_STAFF), decided)
    manifest = json.loads(pack.read("manifest.json"))
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(pack.namelist()) == {*listed, "manifest.json"}
    for path, entry in listed.items():
        content = pack.read(path)
        assert hashlib.sha256(content).hexdigest() == entry["sha256"], path
        assert len(content) == entry["bytes"], path
    assert manifest["application"]["number"] == decided.number


def test_the_pack_holds_every_part_of_the_decision(world, client_for, decided):
    # Read before the download: finishing a streamed response closes the test's connection
    # on PostgreSQL (request_finished), so no query follows it.
    number = decided.title.number
    pack = download(client_for(Role.ASSOCIATION_ADMIN), decided)
    names = set(pack.namelist())
    for part in (
        "application.pdf",
        "materials.txt",
        "customer_list.json",
        "survey.json",
        "measurement_run.json",
        "experts/draw.json",
        "experts/declarations.json",
        "experts/scores.json",
        "experts/scores.csv",
        "similarity.json",
        "formal_review.json",
        "deficiency_notice.json",
        "decision.json",
        "objections.json",
        "title.json",
        "activity_log.json",
    ):
        assert part in names, part
    assert pack.read("application.pdf").startswith(b"%PDF")
    evidence = [n for n in names if n.startswith("evidence/")]
    assert len(evidence) == 1
    assert pack.read(evidence[0]) == PDF_BYTES
    assert json.loads(pack.read("experts/draw.json"))["seed"] == 20260417
    assert json.loads(pack.read("customer_list.json"))["row_count"] == 30
    assert "8.5" in pack.read("experts/scores.csv").decode("utf-8-sig")
    assert json.loads(pack.read("similarity.json"))[0]["share"] == "0.412"
    assert json.loads(pack.read("title.json"))["number"] == number
    actions = {e["action"] for e in json.loads(pack.read("activity_log.json"))}
    assert {"title.grant", "objection.receive"} <= actions


def test_the_pack_holds_no_objector_name_or_contact(world, client_for, decided):
    pack = download(client_for(Role.COMMITTEE_STAFF), decided)
    objections = json.loads(pack.read("objections.json"))
    assert len(objections) == 1
    assert objections[0]["reasons"]
    for name in pack.namelist():
        if name.endswith(".pdf"):
            continue  # the forms (compressed) are the applicant's own; checked below as text
        text = pack.read(name).decode("utf-8", errors="replace")
        assert OBJECTOR not in text, name
        assert OBJECTOR_CONTACT not in text, name
    log = json.loads(pack.read("activity_log.json"))
    assert all(e["ip"] is None for e in log if e["object_type"] == "titles.objection")


def test_missing_parts_are_listed_as_absent_not_an_error(world, client_for):
    """A decided application without survey, experts, review records or title."""
    notice, winners, _ = released(world, "brand")
    application = winners[0]
    from manyi.fieldwork.models import Survey

    Survey.objects.filter(application=application).update(run=None)
    pack = download(client_for(Role.COMMITTEE_STAFF), application)
    manifest = json.loads(pack.read("manifest.json"))
    absent = {a["part"] for a in manifest["absent"]}
    assert {
        "measurement_run.json",
        "experts/draw.json",
        "experts/scores.json",
        "formal_review.json",
        "title.json",
        "evidence/",
    } <= absent
    assert "title.json" not in pack.namelist()
    assert all(a["reason"] for a in manifest["absent"])


def test_a_stored_file_that_is_gone_is_absent(world, decided, settings):
    attachment = decided.attachments.get()
    (settings.MEDIA_ROOT / attachment.file_path).unlink()
    pack = build_decision_pack(application=decided, by=world.users[Role.COMMITTEE_STAFF])
    with pack.file:
        absent = [a["part"] for a in pack.manifest["absent"]]
        assert any(part.startswith("evidence/") for part in absent)


def test_the_pack_is_logged_and_leaves_no_file_behind(world, decided):
    pack = build_decision_pack(application=decided, by=world.users[Role.COMMITTEE_STAFF])
    # An anonymous temporary file: it has no name on disk, and goes when closed.
    assert isinstance(pack.file.name, int)
    pack.file.close()
    entry = ActivityLog.objects.get(action="application.decision_pack")
    assert entry.object_id == str(decided.pk)
    assert entry.actor == world.users[Role.COMMITTEE_STAFF]
    assert entry.after["files"] == len(pack.manifest["files"])


def test_an_application_not_yet_decided_gets_a_message(world, client_for):
    application = accepted(world, "product")
    client = client_for(Role.COMMITTEE_STAFF)
    response = client.get(reverse("titles:decision_pack", args=[application.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:detail", args=[application.pk])
    assert "评定结果尚未发布" in response.content.decode()
    assert not ActivityLog.objects.filter(action="application.decision_pack").exists()


def test_only_committee_staff_and_the_administrator_download_packs(world, client_for, decided):
    url = reverse("titles:decision_pack", args=[decided.pk])
    for role in (Role.WORKDEPT_STAFF, Role.ENTERPRISE_USER, Role.AGENCY_STAFF, Role.EXPERT):
        assert client_for(role).get(url).status_code == 403
    assert not ActivityLog.objects.filter(action="application.decision_pack").exists()
