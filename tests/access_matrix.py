"""Role × URL × method → expected status, for every URL pattern of the project.

`test_access_matrix.py` fails when a URL pattern has no entry here, so a new view cannot be
added without saying who may open it. Statuses: 200 shown, 302 redirected (to log in, or
onwards), 403 refused, 404 not found (another organisation's object), 405 wrong method.
The review and title packages keep their entries in tests/<app>/matrix_<package>.py.
"""

from tests.access_matrix_roles import (  # noqa: F401 - the names the entries below use
    AA,
    AG,
    AUDITORS,
    CAMPAIGN_MANAGERS,
    CS,
    EN,
    EVERYONE,
    EX,
    LOGGED_IN,
    POST_ONLY,
    PROGRAMME,
    PUBLIC,
    SM,
    SU,
    WD,
    A,
    logged_in,
    only,
    status,
)
from tests.agencies import matrix_agencies
from tests.campaigns.matrix import ban_kwargs, campaign_kwargs
from tests.diagnostics import matrix_diagnostics
from tests.events import matrix_events
from tests.programme import matrix_programme
from tests.reviews import matrix_experts, matrix_formal, matrix_scoring, matrix_similarity
from tests.selfmeasure import matrix_selfmeasure
from tests.supervision import (
    matrix_complaints,
    matrix_holders,
    matrix_hub,
    matrix_revisits,
    matrix_revocations,
    matrix_sanctions,
    matrix_spotchecks,
    matrix_validity,
)
from tests.titles import matrix_certificates, matrix_decisions, matrix_notices
from tests.training import matrix_training

PACKAGE_MATRICES = (
    matrix_formal,
    matrix_similarity,
    matrix_experts,
    matrix_scoring,
    matrix_decisions,
    matrix_notices,
    matrix_certificates,
    matrix_hub,
    matrix_spotchecks,
    matrix_revisits,
    matrix_holders,
    matrix_complaints,
    matrix_revocations,
    matrix_sanctions,
    matrix_validity,
    matrix_selfmeasure,
    matrix_agencies,
    matrix_programme,
    matrix_training,
    matrix_events,
    matrix_diagnostics,
)

# Each entry: url name -> {"kwargs": callable(world, extras) -> dict, "GET": {...}, "POST": {...}}.
# POST expectations are for an empty form: a redisplayed form (200), a redirect (302), a
# refusal (403/404) or a wrong method (405). Side effects are checked in the apps' own tests.
MATRIX = {
    "home": {"GET": PUBLIC, "POST": PUBLIC},
    "dashboard": {"GET": logged_in(), "POST": logged_in()},
    # The bare logged-in "ok" (benchmark baseline, health check): GET and HEAD only.
    "ping": {"GET": logged_in(), "POST": logged_in(ok=405)},
    # Django's language switch: anyone may choose a language; a GET does nothing.
    "set_language": {"GET": status(302), "POST": status(302)},
    # allauth: entrance pages are open; logged-in people are sent on; management needs a login.
    "account_login": {"GET": status(302, **{A: 200}), "POST": status(302, **{A: 200})},
    "account_logout": {"GET": status(200, **{A: 302}), "POST": status(302)},
    "account_inactive": {"GET": PUBLIC, "POST": status(405)},
    "account_signup": {"GET": status(302, **{A: 200}), "POST": status(302, **{A: 200})},
    "account_reauthenticate": {"GET": logged_in(), "POST": logged_in()},
    "account_email": {"GET": logged_in(), "POST": logged_in(ok=302)},
    "account_email_verification_sent": {"GET": PUBLIC, "POST": status(405)},
    "account_change_password": {"GET": logged_in(), "POST": logged_in()},
    # Every account has a password here, so "set password" sends people to "change password".
    "account_set_password": {"GET": status(302), "POST": status(302)},
    "account_reset_password": {"GET": PUBLIC, "POST": PUBLIC},
    "account_confirm_login_code": {"GET": status(302), "POST": status(302)},
    "account_confirm_email": {
        "kwargs": lambda w, x: {"key": "not-a-real-key"},
        "GET": PUBLIC,
        "POST": status(404),
    },
    "account_reset_password_from_key_done": {"GET": PUBLIC, "POST": status(405)},
    "account_reset_password_from_key": {
        "kwargs": lambda w, x: {"uidb36": "zz", "key": "bad-key"},
        "GET": PUBLIC,
        "POST": PUBLIC,
    },
    "account_reset_password_done": {"GET": PUBLIC, "POST": status(405)},
    "mfa_index": {"GET": logged_in(), "POST": logged_in(ok=405)},
    # Only reached in the middle of a login; otherwise people are sent on.
    "mfa_authenticate": {"GET": status(302), "POST": status(302)},
    # People with a second factor confirm it again; people without one confirm their password.
    "mfa_reauthenticate": {
        "GET": logged_in() | {EN: 302, SU: 302},
        "POST": logged_in() | {EN: 302, SU: 302},
    },
    # Changing factors asks for a fresh login first (a forced test login is not fresh).
    "mfa_activate_totp": {"GET": status(302), "POST": status(302)},
    "mfa_deactivate_totp": {
        "GET": logged_in(ok=302) | {EN: 404, SU: 404},
        "POST": logged_in(ok=302) | {EN: 404, SU: 404},
    },
    "mfa_view_recovery_codes": {"GET": logged_in(ok=404), "POST": logged_in(ok=405)},
    "mfa_generate_recovery_codes": {"GET": status(302), "POST": status(302)},
    "mfa_download_recovery_codes": {"GET": logged_in(ok=404), "POST": logged_in(ok=404)},
    # Manyi's own views.
    "accounts:my_organisation": {"GET": logged_in(ok=302), "POST": logged_in(ok=302)},
    "accounts:organisation_list": {"GET": only(*PROGRAMME), "POST": only(*PROGRAMME)},
    # The enterprise: its own people, its agency and the programme see it; others do not find it.
    "accounts:organisation_detail": {
        "kwargs": lambda w, x: {"pk": w.enterprise.pk},
        "GET": only(AA, CS, WD, AG, EN, others=404),
        "POST": only(AA, CS, WD, AG, EN, others=404),
    },
    "accounts:organisation_edit": {
        "kwargs": lambda w, x: {"pk": w.enterprise.pk},
        # The agency sees the enterprise but may not edit it; the work department only reads.
        "GET": only(AA, CS, EN, others=404) | {AG: 403, WD: 403},
        "POST": only(AA, CS, EN, others=404) | {AG: 403, WD: 403},
    },
    # Only the enterprise's own users ask another agency to take it as a member; those who see
    # the enterprise but are not its users are refused (an empty form is shown again).
    "accounts:agency_join": {
        "kwargs": lambda w, x: {"pk": w.enterprise.pk},
        "GET": only(EN, others=404) | {AA: 403, CS: 403, WD: 403, AG: 403},
        "POST": only(EN, others=404) | {AA: 403, CS: 403, WD: 403, AG: 403},
    },
    "accounts:invitation_list": {"GET": only(*AUDITORS), "POST": only(*AUDITORS)},
    # Managers may invite colleagues; experts (not managers) may not invite anyone.
    "accounts:invite": {"GET": logged_in() | {EX: 403}, "POST": logged_in() | {EX: 403}},
    "accounts:invitation_revoke": {
        "kwargs": lambda w, x: {"pk": x["invitation_to_revoke"].pk},
        "GET": POST_ONLY,
        # Staff and the enterprise's own manager may withdraw an invitation into it.
        "POST": only(*AUDITORS, EN, ok=302, others=404),
    },
    "accounts:accept_invitation": {
        "kwargs": lambda w, x: {"token": x["invitation_token"]},
        # Only the invited address may accept; anyone else logged in is told it is not theirs.
        "GET": status(403, **{A: 200}),
        "POST": status(403, **{A: 200}),
    },
    "accounts:agency_members": {"GET": only(AG), "POST": only(AG)},
    "accounts:agency_member_decide": {
        "kwargs": lambda w, x: {"pk": w.enterprise.pk},
        "GET": POST_ONLY,
        "POST": only(AG, ok=302),
    },
    "accounts:expert_list": {"GET": only(*PROGRAMME, AG), "POST": only(*PROGRAMME, AG)},
    "accounts:expert_profile": {"GET": only(EX), "POST": only(EX)},
    "common:activity_log": {"GET": only(*AUDITORS), "POST": only(*AUDITORS)},
    "common:activity_log_export": {"GET": only(*AUDITORS), "POST": only(*AUDITORS)},
    "common:outbox": {"GET": only(*AUDITORS), "POST": only(*AUDITORS)},
    "common:outbox_detail": {
        "kwargs": lambda w, x: {"pk": x["message"].pk},
        "GET": only(*AUDITORS),
        "POST": only(*AUDITORS),
    },
    "common:outbox_retry": {
        "kwargs": lambda w, x: {"pk": x["message"].pk},
        "GET": POST_ONLY,
        "POST": only(*AUDITORS, ok=302),
    },
    "common:jobs": {"GET": only(*AUDITORS), "POST": POST_ONLY},
    # Measurement: programme staff see every data set; an agency only its own (the committee's
    # data set here is "not found" for it); an enterprise only its own measurements (Art. 19),
    # so the committee's data set is "not found" for it too. Uploading and computing belong to
    # the association, the committee, agencies and enterprises.
    "surveys:dataset_list": {"GET": only(*PROGRAMME, AG, EN), "POST": only(*PROGRAMME, AG, EN)},
    "surveys:run_list": {"GET": only(*PROGRAMME, AG, EN), "POST": only(*PROGRAMME, AG, EN)},
    "surveys:dataset_upload": {"GET": only(AA, CS, AG, EN), "POST": only(AA, CS, AG, EN)},
    "surveys:dataset_detail": {
        "kwargs": lambda w, x: {"pk": x["dataset"].pk},
        "GET": only(*PROGRAMME) | {AG: 404, EN: 404},
        "POST": only(AA, CS) | {AG: 404, EN: 404},
    },
    "surveys:dataset_mapping": {
        "kwargs": lambda w, x: {"pk": x["dataset"].pk},
        "GET": only(AA, CS) | {AG: 404, EN: 404},
        "POST": only(AA, CS) | {AG: 404, EN: 404},
    },
    **{
        f"surveys:{name}": {
            "kwargs": lambda w, x: {"pk": x["run"].pk},
            "GET": only(*PROGRAMME) | {AG: 404, EN: 404},
            "POST": only(*PROGRAMME) | {AG: 404, EN: 404},
        }
        for name in ("run_detail", "run_status", "run_pdf", "run_json")
    },
    "surveys:run_rerun": {
        "kwargs": lambda w, x: {"pk": x["run"].pk},
        "GET": POST_ONLY,
        "POST": only(AA, CS, ok=302) | {AG: 404, EN: 404},
    },
    # Campaigns: the call is public once published (a draft is a 404 for all but programme
    # staff: tests/campaigns); only the association and the committee run it.
    "campaigns:list": {"GET": PUBLIC, "POST": PUBLIC},
    "campaigns:current": {"GET": status(302), "POST": status(302)},
    "campaigns:detail": {"kwargs": campaign_kwargs, "GET": PUBLIC, "POST": PUBLIC},
    "campaigns:create": {"GET": only(*CAMPAIGN_MANAGERS), "POST": only(*CAMPAIGN_MANAGERS)},
    "campaigns:edit": {
        "kwargs": campaign_kwargs,
        "GET": only(*CAMPAIGN_MANAGERS),
        "POST": only(*CAMPAIGN_MANAGERS),
    },
    "campaigns:quotas": {
        "kwargs": campaign_kwargs,
        "GET": only(*CAMPAIGN_MANAGERS),
        "POST": only(*CAMPAIGN_MANAGERS),
    },
    "campaigns:move": {
        "kwargs": campaign_kwargs,
        "GET": POST_ONLY,
        "POST": only(*CAMPAIGN_MANAGERS, ok=302),
    },
    "campaigns:reopenings": {
        "kwargs": campaign_kwargs,
        "GET": only(*CAMPAIGN_MANAGERS),
        "POST": only(*CAMPAIGN_MANAGERS),
    },
    "campaigns:ban_list": {"GET": only(*CAMPAIGN_MANAGERS), "POST": only(*CAMPAIGN_MANAGERS)},
    "campaigns:ban_add": {"GET": only(*CAMPAIGN_MANAGERS), "POST": only(*CAMPAIGN_MANAGERS)},
    "campaigns:ban_lift": {
        "kwargs": ban_kwargs,
        "GET": only(*CAMPAIGN_MANAGERS),
        "POST": only(*CAMPAIGN_MANAGERS),
    },
    # Applications: the applicant's own users edit (only while editable: the matrix's
    # application is submitted, so its edit pages send them back); its agency and programme
    # staff read; only that agency recommends.
    "applications:list": {"GET": only(*PROGRAMME, AG, EN), "POST": only(*PROGRAMME, AG, EN)},
    "applications:start": {"GET": POST_ONLY, "POST": only(EN, ok=404)},
    **{
        f"applications:{name}": {
            "kwargs": lambda w, x: {"pk": x["application"].pk},
            "GET": only(*PROGRAMME, AG, EN),
            "POST": only(*PROGRAMME, AG, EN) | {AA: 403, CS: 403, WD: 403, AG: 403}
            if name == "attachments"
            else only(*PROGRAMME, AG, EN),
        }
        for name in ("detail", "attachments")
    },
    **{
        f"applications:{name}": {
            "kwargs": lambda w, x: {"pk": x["application"].pk},
            "GET": only(EN, ok=302),
            "POST": only(EN, ok=302),
        }
        for name in ("form", "materials")
    },
    "applications:attachment_download": {
        "kwargs": lambda w, x: {"pk": x["application"].pk, "attachment_pk": x["attachment"].pk},
        "GET": only(*PROGRAMME, AG, EN),
        "POST": only(*PROGRAMME, AG, EN),
    },
    "applications:attachment_delete": {
        "kwargs": lambda w, x: {"pk": x["application"].pk, "attachment_pk": x["attachment"].pk},
        "GET": POST_ONLY,
        "POST": only(EN, ok=302),
    },
    **{
        f"applications:{name}": {
            "kwargs": lambda w, x: {"pk": x["application"].pk},
            "GET": POST_ONLY,
            "POST": only(EN, ok=302),
        }
        for name in ("submit", "withdraw")
    },
    "applications:recommend": {
        "kwargs": lambda w, x: {"pk": x["application"].pk},
        "GET": only(AG),
        "POST": only(AG),
    },
    "applications:confirmation": {
        "kwargs": lambda w, x: {"year": x["application"].campaign.year},
        "GET": only(EN),
        "POST": only(EN),
    },
    "applications:agency_queue": {"GET": only(AG), "POST": only(AG)},
    "applications:agency_seal": {"GET": only(AG), "POST": only(AG)},
    "applications:agency_seal_image": {"GET": only(AG, ok=404), "POST": only(AG, ok=404)},
    # Client appraisal (续表4-4): readers of a submitted application read it; the applicant
    # proposes the client's contact and the recommending agency sends the link (POST when
    # already answered: redirected with a message); the client's link is public.
    "applications:appraisal": {
        "kwargs": lambda w, x: {"pk": x["appraisal_application"].pk},
        "GET": only(AA, CS, WD, AG, EN),
        "POST": only(EN, AG, ok=302),
    },
    "applications:appraisal_scan": {
        "kwargs": lambda w, x: {"pk": x["appraisal_application"].pk},
        "GET": only(AA, CS, WD, AG, EN),
        "POST": status(405),
    },
    "applications:appraisal_fill": {
        "kwargs": lambda w, x: {"token": x["appraisal_token"]},
        "GET": PUBLIC,
        "POST": PUBLIC,  # an empty form is shown again with its errors
    },
    # Customer list (附件3): everyone who can read the application sees it (phones masked except
    # for the applicant and the committee: tests/applications); only the applicant uploads.
    **{
        f"applications:{name}": {
            "kwargs": lambda w, x: {"pk": x["application"].pk},
            "GET": only(*PROGRAMME, AG, EN),
            "POST": POST_ONLY,
        }
        for name in ("customers", "customer_status", "customer_download")
    },
    "applications:customer_upload": {
        "kwargs": lambda w, x: {"pk": x["application"].pk},
        "GET": POST_ONLY,
        "POST": only(EN),  # an empty form is redisplayed
    },
    "applications:customer_template": {
        "kwargs": lambda w, x: {"pk": x["application"].pk},
        "GET": only(EN),
        "POST": POST_ONLY,
    },
    "applications:shared_contacts": {"GET": only(*PROGRAMME), "POST": POST_ONLY},
    # Official output: the PDF for whoever reads the application; the confirmation PDF for the
    # applicant (the matrix's enterprise has none: 404); the campaign's Excel for programme staff.
    "applications:pdf": {
        "kwargs": lambda w, x: {"pk": x["application"].pk},
        "GET": only(*PROGRAMME, AG, EN),
        "POST": only(*PROGRAMME, AG, EN),
    },
    "applications:confirmation_pdf": {
        "kwargs": lambda w, x: {"year": x["application"].campaign.year},
        "GET": only(EN, ok=404),
        "POST": only(EN, ok=404),
    },
    # An application's applicant's 附件2 and its form, read-only, for whoever reads the
    # application (the matrix's enterprise has no 附件2: its PDF is not found); committee staff
    # and the association's administrator reopen a locked 附件2 (none here: not found).
    **{
        f"applications:{name}": {
            "kwargs": lambda w, x: {"pk": x["application"].pk},
            "GET": only(*PROGRAMME, AG, EN),
            "POST": only(*PROGRAMME, AG, EN),
        }
        for name in ("application_confirmation", "form_view")
    },
    "applications:application_confirmation_pdf": {
        "kwargs": lambda w, x: {"pk": x["application"].pk},
        "GET": only(*PROGRAMME, AG, EN, ok=404),
        "POST": only(*PROGRAMME, AG, EN, ok=404),
    },
    "applications:confirmation_reopen": {
        "kwargs": lambda w, x: {"pk": x["application"].pk},
        "GET": POST_ONLY,
        "POST": only(AA, CS, ok=404),
    },
    "applications:export": {
        "kwargs": lambda w, x: {"year": x["application"].campaign.year},
        "GET": only(*PROGRAMME),
        "POST": only(*PROGRAMME),
    },
    # fieldwork: the hub. Programme staff see every survey, a firm's people their firm's; the
    # survey in the matrix is already in the field, so "start" is refused to everyone.
    "fieldwork:survey_list": {"GET": only(AA, CS, WD, SU, SM), "POST": only(AA, CS, WD, SU, SM)},
    "fieldwork:survey_detail": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": only(AA, CS, WD, SU, SM),
        "POST": only(AA, CS, WD, SU, SM),
    },
    "fieldwork:survey_start": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": status(405),
        "POST": only(),
    },
    # fieldwork: telephone interviews. Only interviewers have a queue; a call screen exists
    # only while a call is under way (none in the matrix: 404), starting one needs a POST.
    "fieldwork:call_queue": {"GET": only(SU), "POST": only(SU)},
    "fieldwork:call": {
        "kwargs": lambda w, x: {"pk": x["contact"].pk},
        "GET": only(SU, others=403) | {SU: 404},
        "POST": only(SU, others=403) | {SU: 404},
    },
    "fieldwork:call_start": {
        "kwargs": lambda w, x: {"pk": x["other_contact"].pk},
        "GET": status(405),
        "POST": only(SU, others=403) | {SU: 404},
    },
    "fieldwork:call_outcome": {
        "kwargs": lambda w, x: {"pk": x["contact"].pk},
        "GET": status(405),
        "POST": only(SU, others=403) | {SU: 404},
    },
    "fieldwork:call_interview": {
        "kwargs": lambda w, x: {"pk": x["contact"].pk},
        "GET": status(405),
        "POST": only(SU, others=403) | {SU: 404},
    },
    "fieldwork:assign_interviewers": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": only(SM),
        "POST": only(SM),
    },
    # fieldwork: the survey firms' API. Only a firm's key opens it (a session is not accepted):
    # 401 for everyone here. The schema and its documentation hold no data.
    "api:schema": {"GET": PUBLIC, "POST": status(405)},
    "api:docs": {"GET": PUBLIC, "POST": status(405)},
    "api:assignment-list": {"GET": status(401), "POST": status(401)},
    **{
        f"api:assignment-{name}": {
            "kwargs": lambda w, x: {"pk": x["survey"].pk},
            "GET": status(401),
            "POST": status(401),
        }
        for name in ("detail", "sample", "responses", "flags")
    },
    "fieldwork:api_tokens": {"GET": only(SM), "POST": only(SM)},
    "fieldwork:api_token_revoke": {
        "kwargs": lambda w, x: {"pk": 999999},
        "GET": status(405),
        "POST": only(SM, others=403) | {SM: 404},
    },
    # fieldwork: quality control. Programme staff read; the firm's manager decides (an empty
    # review form is redisplayed); x["contact"] is not drawn for a call-back: not found.
    "fieldwork:review_list": {"GET": only(*PROGRAMME, SM), "POST": status(405)},
    "fieldwork:response_detail": {
        "kwargs": lambda w, x: {"pk": x["response"].pk},
        "GET": only(*PROGRAMME, SM),
        "POST": only(SM),
    },
    "fieldwork:verification": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": only(*PROGRAMME, SM),
        "POST": status(405),
    },
    "fieldwork:verification_draw": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": status(405),
        "POST": only(SM, ok=302),
    },
    "fieldwork:verify_contact": {
        "kwargs": lambda w, x: {"pk": x["contact"].pk},
        "GET": only(SM, ok=404),
        "POST": only(SM, ok=404),
    },
    # fieldwork: web survey. Staff who run the survey send invitations and reminders (none is
    # due a reminder here: the page says so and redirects); whoever reads the survey watches
    # the progress. The public questionnaire: a made-up token is a friendly 404 for everyone.
    **{
        f"fieldwork:{name}": {
            "kwargs": lambda w, x: {"pk": x["survey"].pk},
            "GET": status(405),
            "POST": only(AA, CS, ok=302),
        }
        for name in ("send_invitations", "send_reminders")
    },
    "fieldwork:invitation_progress": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": only(*PROGRAMME, SU, SM),
        "POST": status(405),
    },
    "survey:answer": {
        "kwargs": lambda w, x: {"token": "not-a-real-token"},
        "GET": status(404),
        "POST": status(404),
    },
    "survey:save": {
        "kwargs": lambda w, x: {"token": "not-a-real-token"},
        "GET": status(405),
        "POST": status(404),
    },
    # fieldwork: results. Staff who run the survey close it and release the result (the
    # matrix's survey still has a flagged response, and is not closed: the page says so and
    # redirects); the result's status is for programme staff once the survey is closed (this
    # one is in the field: refused; tests/fieldwork/test_results.py opens a closed one); the
    # responses export to programme staff and the firm's manager.
    **{
        f"fieldwork:{name}": {
            "kwargs": lambda w, x: {"pk": x["survey"].pk},
            "GET": status(405),
            "POST": only(AA, CS, ok=302),
        }
        for name in ("close_fieldwork", "release_result")
    },
    "fieldwork:result_status": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": status(403, **{A: 302}),
        "POST": status(405),
    },
    "fieldwork:export_responses": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": only(*PROGRAMME, SM),
        "POST": status(405),
    },
    # fieldwork: questionnaires. Programme staff read the bank and every version; committee
    # staff and the association's administrator edit. The matrix's questionnaire is published,
    # so editing it sends them back to its page, and its items (sat1) can no longer change.
    **{
        f"fieldwork:{name}": {"GET": only(*PROGRAMME), "POST": only(*PROGRAMME)}
        for name in ("questionnaire_list", "item_list")
    },
    **{
        f"fieldwork:{name}": {
            "kwargs": lambda w, x: {"pk": x["survey"].questionnaire_id},
            "GET": only(*PROGRAMME),
            "POST": only(*PROGRAMME),
        }
        for name in ("questionnaire_detail", "questionnaire_preview", "questionnaire_preview_frame")
    },
    "fieldwork:questionnaire_edit": {
        "kwargs": lambda w, x: {"pk": x["survey"].questionnaire_id},
        "GET": only(AA, CS, ok=302),
        "POST": only(AA, CS, ok=302),
    },
    "fieldwork:questionnaire_publish": {
        "kwargs": lambda w, x: {"pk": x["survey"].questionnaire_id},
        "GET": POST_ONLY,
        "POST": only(AA, CS, ok=302),
    },
    "fieldwork:questionnaire_new_version": {
        "kwargs": lambda w, x: {"category": "service"},
        "GET": POST_ONLY,
        "POST": only(AA, CS, ok=302),
    },
    "fieldwork:item_create": {"GET": only(AA, CS), "POST": only(AA, CS)},
    "fieldwork:item_bank_load": {"GET": POST_ONLY, "POST": only(AA, CS, ok=302)},
    "fieldwork:item_edit": {
        "kwargs": lambda w, x: {
            "pk": x["survey"].questionnaire.entries.get(item__code="sat1").item_id
        },
        "GET": only(AA, CS),
        "POST": only(AA, CS, ok=302),
    },
    # fieldwork: sampling
    "fieldwork:assign": {"GET": only(AA, CS), "POST": only(AA, CS)},
    # The matrix's survey is in the field: too late to draw (told so, sent back to the page).
    "fieldwork:draw_sample": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": POST_ONLY,
        "POST": only(AA, CS, ok=302),
    },
    "fieldwork:check_draw": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": POST_ONLY,
        "POST": only(AA, CS, WD, ok=302),
    },
    # An empty form: no count given, told so and sent back.
    "fieldwork:release_reserve": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": POST_ONLY,
        "POST": only(AA, CS, ok=302),
    },
    "fieldwork:export_sample": {
        "kwargs": lambda w, x: {"pk": x["survey"].pk},
        "GET": only(SM),
        "POST": status(405),
    },
}

MATRIX["reviews:list"] = {"GET": only(AA, CS, WD), "POST": only(AA, CS, WD)}
MATRIX["reviews:detail"] = {
    "kwargs": lambda w, x: {"pk": x["survey"].application_id},
    "GET": only(AA, CS, WD),
    "POST": only(AA, CS, WD),
}
for _package in PACKAGE_MATRICES:
    MATRIX.update(_package.MATRIX)
