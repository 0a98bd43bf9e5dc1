"""What every persona gets from every route: the one table the permission test reads.

Personas (tests/permissions/world.py, the demo's users): anonymous; a plain
member of branch A; the community's grid worker; the street's reviewer and
auditor; branch B's secretary (the outsider); the community's secretary; the
street's organisation officer; the superuser. URLs name branch A's records
(the community's, for what a community keeps: grids, appeals, partner units).

Answers: ok (2xx, or a redirect that is not to sign-in), L (sent to sign in:
a redirect to the login page, 401 from the API), or the status code. Pages are
requested with GET and with an empty POST; API operations with a minimal body
built from the published schema (BODIES where the schema is not enough).

A new route without a row fails test_every_route_and_operation_has_an_entry.
Write its row from what the view should answer (read its code and its
selector), never by copying what it answers now.
"""

import datetime as dt
import re
from dataclasses import dataclass

COLUMNS = ("anonymous", "member", "grid_worker", "reviewer", "auditor", "secretary_b", "community", "officer",
           "superuser")


@dataclass(frozen=True)
class Row:
    route: str  # URL name, or the API operation's path
    method: str
    expect: dict

    @property
    def api(self) -> bool:
        return self.route.startswith("/")


def _parse(text: str) -> list[Row]:
    rows = []
    for line in text.strip().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        route, method, *answers = line.split()
        assert len(answers) == len(COLUMNS), f"table row {route} {method}: {len(answers)} answers"
        rows.append(Row(route, method, dict(zip(COLUMNS, answers, strict=True))))
    return rows


def is_api_pattern(name: str) -> bool:
    """The API's URL patterns are covered operation by operation (from the schema), not by name."""
    return name.startswith("api:") and name not in ("api:openapi-json", "api:openapi-view", "api:api-root")


def api_params(path: str) -> dict[str, str]:
    out = {}
    for param in re.findall(r"{(\w+)}", path):
        for prefix, name, what in API_KW:
            if path.startswith(prefix) and name == param:
                out[param] = what
                break
        else:
            raise LookupError(f"{path}: no world object for {{{param}}} in table.API_KW")
    return out
# Answers counted as refusals that must still write one thing, so the unchanged-database
# check does not apply: signing out ends on the sign-in page and is audited (issue 16, #7);
# a tracking look-up with an unknown code counts against the address's rate limit (#5).
REFUSED_BUT_RECORDED = {("POST", "accounts:logout"), ("POST", "appeals:track")}

PAGE_KW = {
 "accounts:token_revoke": {"pk": "token"},
 "orgs:org_detail": {"pk": "branch_a"}, "orgs:tree_children": {"pk": "branch_a"}, "orgs:org_create": {"pk": "branch_a"},
 "orgs:org_edit": {"pk": "branch_a"}, "orgs:org_move": {"pk": "branch_a"},
 "orgs:member_detail": {"pk": "member"}, "orgs:member_edit": {"pk": "member"}, "orgs:member_status": {"pk": "member"},
 "orgs:member_entered_in_error": {"pk": "member"}, "orgs:member_reveal": {"pk": "member", "field": "=id_number"},
 "orgs:transfer_request": {"pk": "member"}, "orgs:transfer_decide": {"pk": "transfer"},
 "imports:job_retry": {"pk": "import_job"},
 "operations:job_detail": {"pk": "op_job"}, "operations:job_status": {"pk": "op_job"}, "operations:job_file": {"pk": "op_job"},
 "operations:job_retry": {"pk": "op_job"}, "operations:job_start": {"kind": "=originality_reindex"},
 "imports:job_detail": {"pk": "import_job"}, "imports:job_status": {"pk": "import_job"}, "imports:job_errors": {"pk": "import_job"},
 "dues:pay": {"pk": "due"}, "dues:due": {"pk": "due"}, "dues:remittance_void": {"pk": "remittance"}, "dues:base_edit": {"member_pk": "member"},
 "dues:reduction_new": {"member_pk": "member"}, "dues:reduction_decide": {"pk": "reduction"},
 "recruitment:detail": {"pk": "applicant"}, "recruitment:edit": {"pk": "applicant"}, "recruitment:step": {"pk": "applicant"},
 "recruitment:step_detail": {"pk": "applicant", "code": "step_code"}, "recruitment:extend": {"pk": "applicant"}, "recruitment:close": {"pk": "applicant"},
 "recruitment:mentor_add": {"pk": "applicant"}, "recruitment:review_add": {"pk": "applicant"},
 "recruitment:mentor_end": {"pk": "applicant"},
 "meetings:detail": {"pk": "meeting"}, "meetings:hold": {"pk": "meeting"}, "meetings:edit": {"pk": "meeting"}, "meetings:cancel": {"pk": "meeting"},
 "meetings:correct": {"pk": "meeting"}, "meetings:attachment_upload": {"pk": "meeting"}, "meetings:attachment": {"pk": "attachment"},
 "meetings:member": {"pk": "member"}, "meetings:unqualified_followup": {"pk": "unqualified"},
 "meetings:good_reason": {"pk": "member"},
 "grids:detail": {"pk": "grid"}, "grids:action": {"pk": "grid", "which": "=visit"}, "grids:household": {"pk": "household"},
 "grids:household_reveal": {"pk": "household", "field": "=phone"}, "grids:household_action": {"pk": "household", "which": "=correct"},
 "grids:plan_detail": {"pk": "plan"},
 "appeals:detail": {"pk": "appeal_case"}, "appeals:step": {"pk": "appeal_case"}, "appeals:categorise": {"pk": "appeal_case"},
 "appeals:correct": {"pk": "appeal_case"}, "appeals:reveal": {"pk": "appeal_case", "field": "=phone"},
 "appeals:accept": {"pk": "appeal_case"}, "appeals:finish": {"pk": "appeal_case"}, "appeals:category_edit": {"pk": "appeal_category"},
 "departments:detail": {"pk": "department"}, "departments:summons": {"pk": "summons"},
 "departments:summon": {"appeal_id": "appeal_case"},
 "appeals:callback": {"pk": "appeal_case"}, "appeals:household": {"pk": "appeal_case"}, "appeals:merge": {"pk": "appeal_case"},
 "appeals:approve_decline": {"pk": "appeal_case"},
 "projects:detail": {"pk": "project"}, "projects:edit": {"pk": "project"}, "projects:transition": {"pk": "project", "action": "=submit"},
 "projects:target_report": {"pk": "target"}, "projects:done": {"kind": "=task", "pk": "task"},
 "duty:detail": {"pk": "duty_list"}, "duty:rate": {"pk": "duty_item"}, "duty:template": {"pk": "duty_template"},
 "surveys:questionnaire": {"pk": "questionnaire"}, "surveys:round_new": {"pk": "questionnaire"}, "surveys:round": {"pk": "round"},
 "surveys:answer": {"token": "survey_token"}, "surveys:take": {"pk": "round"},
 "assessment:scheme": {"pk": "scheme"}, "assessment:detail": {"pk": "assessment"}, "assessment:pdf": {"pk": "assessment"},
 "resources:resource_detail": {"pk": "resource"}, "resources:need_detail": {"pk": "need"}, "resources:need_from_appeal": {"appeal_id": "appeal_case"},
 "resources:project_detail": {"pk": "resource_project"}, "resources:partner_detail": {"pk": "partner"}, "resources:booking_cancel": {"pk": "booking"},
 "volunteering:detail": {"pk": "activity"}, "volunteering:signup": {"pk": "activity"},
 "funds:detail": {"pk": "spending"},
 "learning:case_detail": {"pk": "case"}, "learning:reflection_detail": {"pk": "reflection"},
 "committees:org": {"pk": "branch_a"}, "committees:term_new": {"pk": "branch_a"}, "committees:term_correct": {"pk": "term"},
 "evaluation:period": {"pk": "period"}, "evaluation:config": {"pk": "period"},
 "evaluation:drill": {"pk": "period", "org_id": "branch_a", "code": "indicator_code"},
 "evaluation:scheme_edit": {"pk": "grading_scheme"}, "evaluation:alert_detail": {"pk": "alert"}, "evaluation:rect_detail": {"pk": "rectification"},
 "evaluation:weak_detail": {"pk": "weak_decision"},
 "dashboards:org": {"pk": "branch_a"}, "dashboards:drill": {"pk": "branch_a", "code": "indicator_code"},
 "dashboards:report_pdf": {"pk": "branch_a"}, "dashboards:report_xlsx": {"pk": "branch_a"},
 "dashboards:export": {"page": "=overview", "key": "=trend"},
}
# API path params: (path prefix, param) -> finder
API_KW = [
 ("/api/metrics/", "code", "=members_on_roll"),
 ("/api/orgs/", "org_id", "branch_a"), ("/api/members/", "member_id", "member"), ("/api/transfers/", "transfer_id", "transfer"),
 ("/api/dues/bases/", "member_id", "member"), ("/api/dues/dues/{due_id}/voided", "due_id", "paid_due"),
 ("/api/dues/dues/", "due_id", "paid_due"), ("/api/dues/reductions/", "reduction_id", "reduction"), ("/api/dues/remittances/", "remittance_id", "remittance"),
 ("/api/recruitment/", "pk", "applicant"), ("/api/recruitment/", "code", "step_code"),
 ("/api/meetings/", "meeting_id", "meeting"), ("/api/meetings/", "appraisal_id", "unqualified"), ("/api/committees/", "term_id", "term"),
 ("/api/grids/", "grid_id", "grid"), ("/api/grids/", "household_id", "household"), ("/api/grids/", "post_id", "grid_post"),
 ("/api/grids/", "resident_id", "resident"), ("/api/grids/", "link_id", "household_link"),
 ("/api/appeals/", "appeal_id", "appeal_case"), ("/api/departments/", "summons_id", "summons"), ("/api/projects/", "project_id", "project"), ("/api/projects/", "action", "=submit"),
 ("/api/duty/", "list_id", "duty_list"), ("/api/duty/", "item_id", "duty_item"), ("/api/duty/", "template_id", "duty_template"),
 ("/api/surveys/", "round_id", "round"), ("/api/assessment/", "assessment_id", "assessment"),
 ("/api/assessment/", "scheme_id", "scheme"), ("/api/assessment/", "appeal_id", "score_appeal"),
 ("/api/resources/", "appeal_id", "appeal_case"), ("/api/resources/", "need_id", "need"),
 ("/api/volunteering/", "pk", "activity"), ("/api/funds/", "spending_id", "spending"), ("/api/learning/", "pk", "reflection"),
 ("/api/evaluation/", "period_id", "period"), ("/api/evaluation/", "rect_id", "rectification"),
 ("/api/evaluation/", "decision_id", "weak_decision"),
]

# Bodies where the generated minimal one does not reach the view's scoping (a callable of the world).
BODIES = {
    # A member of branch A by their real id (ids differ between databases), with an unknown mode / no title:
    # whoever may record for that member gets the service's 400, everybody else 404.
    ("POST", "/api/learning/study-records"): lambda w: {"member_id": w.obj("member").pk, "mode": "no-such-mode",
                                                         "studied_on": "2026-01-01", "minutes": 30},
    ("POST", "/api/learning/reflections"): lambda w: {"member_id": w.obj("member").pk, "title": "", "body": ""},
    # A salaried base and no own amount: only rural members have an amount of their own (2008 党费规定 一、第六条).
    ("PUT", "/api/dues/bases/{member_id}"): lambda w: {"monthly_base": "5000.00"},
    # A real item of the assessment's own scheme with an empty reason: the answer is the same on
    # both databases (a made-up item id names a row on one and nothing on the other).
    ("POST", "/api/assessment/assessments/{assessment_id}/scores"): lambda w: {
        "item_id": w.obj("assessment").scheme.items.order_by("pk").first().pk, "score": "-1", "reason": ""},
    ("POST", "/api/orgs/"): lambda w: {"parent_id": w.obj("branch_a").pk, "name": "权限测试党小组", "code": "PT01",
                                       "kind": "group"},
    ("PATCH", "/api/orgs/{org_id}"): lambda w: {"name": "和平社区第一党支部（改）"},
    ("POST", "/api/dues/payments/batch"): lambda w: {"rows": [{"due": w.obj("due").pk, "amount": "1.00",
                                                               "paid_on": "2026-06-30"}]},
    ("POST", "/api/dues/dues/{due_id}/payment/correct"): lambda w: {"amount": "1.00", "paid_on": "2026-06-30",
                                                                    "reason": "权限测试"},
    ("POST", "/api/recruitment/applicants/{pk}/steps"): lambda w: {"code": w.obj("step_code"), "on": "2026-06-30"},
    # An unknown member / an empty review: whoever may record for the case gets the service's 400.
    ("POST", "/api/recruitment/applicants/{pk}/mentors"): lambda w: {"member_id": 0, "appointed_on": "2026-06-30"},
    ("POST", "/api/recruitment/applicants/{pk}/reviews"): lambda w: {"on": "2026-06-30", "content": " "},
    ("POST", "/api/recruitment/applicants/{pk}/mentors/end"): lambda w: {"mentor_id": 0, "on": "2026-06-30",
                                                                       "reason": "x"},
    ("POST", "/api/meetings/{meeting_id}/correct"): lambda w: {"minutes": "权限测试", "attendance": [],
                                                               "reason": "权限测试"},
    # The member talking with themself: whoever may record for branch A gets the service's 400.
    ("POST", "/api/meetings/appraisals/{appraisal_id}/followup"): lambda w: {"action": "no-such-step"},
    ("POST", "/api/meetings/good-reasons"): lambda w: {"member_id": w.obj("member").pk, "reason": "权限测试",
                                                       "starts_on": "2026-06-01", "ends_on": "2026-06-30"},
    ("POST", "/api/meetings/talks"): lambda w: {"org_id": w.obj("branch_a").pk, "talker_id": w.obj("member").pk,
                                                "member_id": w.obj("member").pk, "held_on": "2026-06-30", "note": "x"},
    ("POST", "/api/appeals/"): lambda w: {"org_id": w.obj("community").pk, "text": "楼道灯坏了"},
    # Branch A by the street committee with no leader named (ids differ between databases): whoever decides for
    # the street gets the service's 400, everybody else 404.
    ("POST", "/api/evaluation/weak-decisions"): lambda w: {
        "org_id": w.obj("branch_a").pk, "committee_id": w.orgs["street"].pk, "leader_id": 0, "year": 2026,
        "situations": [], "decided_on": "2026-06-30", "basis": "x", "deadline": "2026-12-31", "measures": "x"},
    ("POST", "/api/departments/summonses"): lambda w: {
        "tracking_code": w.obj("appeal"), "department_id": w.obj("department").pk, "request": "请派员到场",
        "due_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()},
    # Into itself: found by everyone who may edit it, then refused by the service (400), so the row tests scope.
    ("POST", "/api/appeals/{appeal_id}/merge"): lambda w: {"into": w.obj("appeal")},
    # A real tracking code in the body: found by whoever sees the appeal, 404 for everyone else.
    ("POST", "/api/appeals/lookup"): lambda w: {"code": w.obj("appeal")},
}
# Form data for page POSTs (default: empty).
FORMS: dict[str, dict] = {
    # A valid new category and a valid rename: the superuser's write goes through (ok), everyone else's is
    # refused before it (and leaves the taxonomy as it was). An empty POST would only re-show the blank form.
    "appeals:categories": {"code": "pt_perm", "name": "权限测试"},
    "appeals:category_edit": {"name": "用水（权限测试）"},
}

TABLE = """
# route                                                    method anon  member grid  revw  audit secB  comm  offcr super

# --- home
healthz                                                    GET    503   503   503   503   503   503   503   503   503   # no worker heartbeat in the test world
healthz                                                    POST   503   503   503   503   503   503   503   503   503
home                                                       GET    L     ok    ok    ok    ok    ok    ok    ok    ok
home                                                       POST   L     ok    ok    ok    ok    ok    ok    ok    ok

# --- accounts
accounts:login                                             GET    ok    ok    ok    ok    ok    ok    ok    ok    ok
accounts:login                                             POST   ok    ok    ok    ok    ok    ok    ok    ok    ok
accounts:login_otp                                         GET    L     L     L     L     L     L     L     L     L
accounts:login_otp                                         POST   L     L     L     L     L     L     L     L     L
accounts:logout                                            GET    405   405   405   405   405   405   405   405   405
accounts:logout                                            POST   L     L     L     L     L     L     L     L     L
accounts:security                                          GET    L     ok    ok    ok    ok    ok    ok    ok    ok
accounts:security                                          POST   L     ok    ok    ok    ok    ok    ok    ok    ok
accounts:totp_setup                                        GET    L     ok    ok    ok    ok    ok    ok    ok    ok
accounts:totp_setup                                        POST   L     ok    ok    ok    ok    ok    ok    ok    ok
accounts:token_create                                      GET    L     405   405   405   405   405   405   405   405
accounts:token_create                                      POST   L     400   400   400   400   400   400   400   400   # the password again first (issue 16, #9): an empty form is refused
accounts:token_revoke                                      GET    L     405   405   405   405   405   405   405   405
accounts:token_revoke                                      POST   L     404   404   404   404   404   404   ok    404

# --- audit
# operations (issue 17): a user's own jobs (a superuser's: all); the operations page is the superuser's
imports:job_retry                                          GET    L     405   405   405   405   405   405   405   405
imports:job_retry                                          POST   L     404   404   404   404   404   404   404   404   # the world's job kept no upload: nothing to retry
operations:overview                                        GET    L     404   404   404   404   404   404   404   ok
operations:overview                                        POST   L     405   405   405   405   405   405   405   405
operations:job_list                                        GET    L     ok    ok    ok    ok    ok    ok    ok    ok
operations:job_list                                        POST   L     405   405   405   405   405   405   405   405
operations:job_detail                                      GET    L     404   404   404   404   404   ok    404   ok
operations:job_detail                                      POST   L     405   405   405   405   405   405   405   405
operations:job_status                                      GET    L     404   404   404   404   404   ok    404   ok
operations:job_status                                      POST   L     405   405   405   405   405   405   405   405
operations:job_file                                        GET    L     404   404   404   404   404   404   404   404
operations:job_file                                        POST   L     405   405   405   405   405   405   405   405
operations:job_retry                                       GET    L     405   405   405   405   405   405   405   405
operations:job_retry                                       POST   L     404   404   404   404   404   ok    404   ok
operations:job_start                                       GET    L     404   404   404   404   404   404   404   ok
operations:job_start                                       POST   L     404   404   404   404   404   404   404   ok
audit:list                                                 GET    L     404   404   404   ok    404   404   ok    ok
audit:list                                                 POST   L     404   404   404   ok    404   404   ok    ok

# --- orgs
orgs:org_index                                             GET    L     404   404   ok    ok    ok    ok    ok    ok
orgs:org_index                                             POST   L     404   404   ok    ok    ok    ok    ok    ok
orgs:org_detail                                            GET    L     404   404   ok    ok    404   ok    ok    ok
orgs:org_detail                                            POST   L     404   404   ok    ok    404   ok    ok    ok
orgs:tree_children                                         GET    L     404   404   ok    ok    404   ok    ok    ok
orgs:tree_children                                         POST   L     405   405   405   405   405   405   405   405
orgs:org_create                                            GET    L     404   404   404   404   404   404   ok    ok
orgs:org_create                                            POST   L     404   404   404   404   404   404   ok    ok
orgs:org_edit                                              GET    L     404   404   404   404   404   404   ok    ok
orgs:org_edit                                              POST   L     404   404   404   404   404   404   ok    ok
orgs:org_move                                              GET    L     404   404   404   404   404   404   ok    ok
orgs:org_move                                              POST   L     404   404   404   404   404   404   ok    ok
orgs:branch_options                                        GET    L     404   404   404   404   ok    ok    ok    ok
orgs:branch_options                                        POST   L     405   405   405   405   405   405   405   405
orgs:member_list                                           GET    L     404   404   ok    ok    ok    ok    ok    ok
orgs:member_list                                           POST   L     404   404   ok    ok    ok    ok    ok    ok
orgs:member_create                                         GET    L     404   404   404   404   ok    ok    ok    ok
orgs:member_create                                         POST   L     404   404   404   404   ok    ok    ok    ok
orgs:member_detail                                         GET    L     404   404   ok    ok    404   ok    ok    ok
orgs:member_detail                                         POST   L     404   404   ok    ok    404   ok    ok    ok
orgs:member_edit                                           GET    L     404   404   404   404   404   ok    ok    ok
orgs:member_edit                                           POST   L     404   404   404   404   404   ok    ok    ok
orgs:member_status                                         GET    L     404   404   404   404   404   ok    ok    ok
orgs:member_status                                         POST   L     404   404   404   404   404   ok    ok    ok
orgs:member_entered_in_error                               GET    L     405   405   405   405   405   405   405   405
orgs:member_entered_in_error                               POST   L     404   404   404   404   404   ok    ok    ok
orgs:member_reveal                                         GET    L     405   405   405   405   405   405   405   405
orgs:member_reveal                                         POST   L     404   404   404   404   404   ok    ok    ok
orgs:transfer_request                                      GET    L     404   404   404   404   404   ok    ok    ok
orgs:transfer_request                                      POST   L     404   404   404   404   404   ok    ok    ok
orgs:transfer_inbox                                        GET    L     404   404   404   404   ok    ok    ok    ok
orgs:transfer_inbox                                        POST   L     404   404   404   404   ok    ok    ok    ok
orgs:transfer_decide                                       GET    L     405   405   405   405   405   405   405   405
orgs:transfer_decide                                       POST   L     404   404   404   404   ok    ok    ok    ok

# --- imports
imports:roster_import                                      GET    L     404   404   404   404   ok    ok    ok    ok
imports:roster_import                                      POST   L     404   404   404   404   ok    ok    ok    ok
imports:template_xlsx                                      GET    L     404   404   404   404   ok    ok    ok    ok
imports:template_xlsx                                      POST   L     405   405   405   405   405   405   405   405
imports:template_csv                                       GET    L     404   404   404   404   ok    ok    ok    ok
imports:template_csv                                       POST   L     405   405   405   405   405   405   405   405
imports:roster_export                                      GET    L     404   404   404   404   ok    ok    ok    ok
imports:roster_export                                      POST   L     405   405   405   405   405   405   405   405
imports:job_detail                                         GET    L     404   404   404   404   404   ok    404   ok
imports:job_detail                                         POST   L     405   405   405   405   405   405   405   405
imports:job_status                                         GET    L     404   404   404   404   404   ok    404   ok
imports:job_status                                         POST   L     405   405   405   405   405   405   405   405
imports:job_errors                                         GET    L     404   404   404   404   404   404   404   404
imports:job_errors                                         POST   L     405   405   405   405   405   405   405   405

# --- dues
dues:ledger                                                GET    L     404   404   ok    ok    ok    ok    ok    ok
dues:ledger                                                POST   L     404   404   ok    ok    ok    ok    ok    ok
dues:generate                                              GET    L     405   405   405   405   405   405   405   405
dues:generate                                              POST   L     404   404   404   404   404   404   404   404
dues:pay                                                   GET    L     404   404   404   404   404   ok    ok    ok
dues:pay                                                   POST   L     404   404   404   404   404   ok    ok    ok
dues:due                                                   GET    L     404   404   ok    ok    404   ok    ok    ok
dues:due                                                   POST   L     404   404   404   404   404   ok    ok    ok
dues:remittance_void                                       GET    L     405   405   405   405   405   405   405   405
dues:remittance_void                                       POST   L     404   404   404   404   404   ok    ok    ok
dues:batch                                                 GET    L     404   404   404   404   ok    ok    ok    ok
dues:batch                                                 POST   L     404   404   404   404   ok    ok    ok    ok
dues:import                                                GET    L     404   404   404   404   ok    ok    ok    ok
dues:import                                                POST   L     404   404   404   404   ok    ok    ok    ok
dues:import_template                                       GET    L     404   404   404   404   404   404   404   404
dues:import_template                                       POST   L     404   404   404   404   404   404   404   404
dues:arrears                                               GET    L     404   404   ok    ok    ok    ok    ok    ok
dues:arrears                                               POST   L     404   404   ok    ok    ok    ok    ok    ok
dues:summary                                               GET    L     404   404   ok    ok    ok    ok    ok    ok
dues:summary                                               POST   L     404   404   404   404   404   404   404   404
dues:bases                                                 GET    L     404   404   ok    ok    ok    ok    ok    ok
dues:bases                                                 POST   L     404   404   ok    ok    ok    ok    ok    ok
dues:base_edit                                             GET    L     404   404   404   404   404   ok    ok    ok
dues:base_edit                                             POST   L     404   404   404   404   404   ok    ok    ok
dues:mine                                                  GET    L     ok    ok    ok    ok    ok    ok    ok    ok
dues:mine                                                  POST   L     ok    ok    ok    ok    ok    ok    ok    ok
dues:rules                                                 GET    L     404   404   404   404   404   404   404   ok
dues:rules                                                 POST   L     404   404   404   404   404   404   404   ok
# 少交/免交 (2008 党费规定 一、第七条): who sees the work sees the list; the branch's editors propose;
# the decision is posted by whoever sees it, the service lets only the superior (ASSESS over the parent) decide.
dues:reductions                                            GET    L     404   404   ok    ok    ok    ok    ok    ok
dues:reductions                                            POST   L     404   404   ok    ok    ok    ok    ok    ok
dues:reduction_new                                         GET    L     404   404   404   404   404   ok    ok    ok
dues:reduction_new                                         POST   L     404   404   404   404   404   ok    ok    ok    # the empty form shown again with its errors
dues:reduction_decide                                      GET    L     405   405   405   405   405   405   405   405
dues:reduction_decide                                      POST   L     404   404   ok    ok    404   ok    ok    ok    # the empty form: an error message and back to the list

# --- recruitment
recruitment:list                                           GET    L     404   404   ok    ok    ok    ok    ok    ok
recruitment:list                                           POST   L     404   404   ok    ok    ok    ok    ok    ok
recruitment:create                                         GET    L     404   404   404   404   ok    ok    ok    ok
recruitment:create                                         POST   L     404   404   404   404   ok    ok    ok    ok
recruitment:detail                                         GET    L     404   404   ok    ok    404   ok    ok    ok
recruitment:detail                                         POST   L     404   404   ok    ok    404   ok    ok    ok
recruitment:edit                                           GET    L     404   404   404   404   404   ok    ok    ok
recruitment:edit                                           POST   L     404   404   404   404   404   ok    ok    ok
recruitment:step                                           GET    L     405   405   405   405   405   405   405   405
recruitment:step                                           POST   L     404   404   404   404   404   ok    ok    ok
recruitment:step_detail                                    GET    L     404   404   ok    ok    404   ok    ok    ok
recruitment:step_detail                                    POST   L     404   404   404   404   404   ok    ok    ok
recruitment:extend                                         GET    L     405   405   405   405   405   405   405   405
recruitment:extend                                         POST   L     404   404   404   404   404   ok    ok    ok
recruitment:close                                          GET    L     405   405   405   405   405   405   405   405
recruitment:close                                          POST   L     404   404   404   404   404   ok    ok    ok
recruitment:mentor_add                                     GET    L     405   405   405   405   405   405   405   405
recruitment:mentor_add                                     POST   L     404   404   404   404   404   ok    ok    ok
recruitment:mentor_end                                     GET    L     405   405   405   405   405   405   405   405
recruitment:mentor_end                                     POST   L     404   404   404   404   404   ok    ok    ok
recruitment:review_add                                     GET    L     405   405   405   405   405   405   405   405
recruitment:review_add                                     POST   L     404   404   404   404   404   ok    ok    ok
recruitment:rules                                          GET    L     404   404   404   404   404   404   404   ok
recruitment:rules                                          POST   L     404   404   404   404   404   404   404   ok

# --- meetings
meetings:list                                              GET    L     404   404   ok    ok    ok    ok    ok    ok
meetings:list                                              POST   L     404   404   ok    ok    ok    ok    ok    ok
meetings:new                                               GET    L     404   404   404   404   ok    ok    ok    ok
meetings:new                                               POST   L     404   404   404   404   ok    ok    ok    ok
meetings:detail                                            GET    L     404   404   ok    ok    404   ok    ok    ok
meetings:detail                                            POST   L     404   404   ok    ok    404   ok    ok    ok
meetings:hold                                              GET    L     404   404   404   404   404   ok    ok    ok
meetings:hold                                              POST   L     404   404   404   404   404   ok    ok    ok
meetings:edit                                              GET    L     404   404   404   404   404   ok    ok    ok
meetings:edit                                              POST   L     404   404   404   404   404   ok    ok    ok
meetings:cancel                                            GET    L     405   405   405   405   405   405   405   405
meetings:cancel                                            POST   L     404   404   404   404   404   ok    ok    ok
meetings:correct                                           GET    L     404   404   404   404   404   ok    ok    ok
meetings:correct                                           POST   L     404   404   404   404   404   ok    ok    ok
meetings:attachment_upload                                 GET    L     405   405   405   405   405   405   405   405
meetings:attachment_upload                                 POST   L     404   404   404   404   404   ok    ok    ok
meetings:attachment                                        GET    L     404   404   ok    ok    404   ok    ok    ok
meetings:attachment                                        POST   L     404   404   ok    ok    404   ok    ok    ok
meetings:compliance                                        GET    L     404   404   ok    ok    ok    ok    ok    ok
meetings:compliance                                        POST   L     404   404   ok    ok    ok    ok    ok    ok
meetings:calendar                                          GET    L     404   404   ok    ok    ok    ok    ok    ok
meetings:calendar                                          POST   L     404   404   ok    ok    ok    ok    ok    ok
meetings:life                                              GET    L     404   404   ok    ok    ok    ok    ok    ok
meetings:life                                              POST   L     404   404   ok    ok    ok    ok    ok    ok
meetings:member                                            GET    L     404   404   ok    ok    404   ok    ok    ok
meetings:member                                            POST   L     404   404   ok    ok    404   ok    ok    ok
meetings:appraisals                                        GET    L     404   404   ok    ok    ok    ok    ok    ok
meetings:appraisals                                        POST   L     404   404   ok    ok    ok    ok    ok    ok
meetings:appraisal_new                                     GET    L     404   404   404   404   ok    ok    ok    ok
meetings:appraisal_new                                     POST   L     404   404   404   404   ok    ok    ok    ok
meetings:unqualified                                       GET    L     404   404   ok    ok    ok    ok    ok    ok
meetings:unqualified                                       POST   L     404   404   ok    ok    ok    ok    ok    ok
meetings:unqualified_followup                               GET    L     404   404   ok    ok    404   ok    ok    ok
meetings:unqualified_followup                               POST   L     404   404   404   404   404   ok    ok    ok   # empty: the form shown again
meetings:lapsed                                            GET    L     404   404   ok    ok    ok    ok    ok    ok
meetings:lapsed                                            POST   L     404   404   ok    ok    ok    ok    ok    ok
meetings:good_reason                                       GET    L     404   404   404   404   404   ok    ok    ok
meetings:good_reason                                       POST   L     404   404   404   404   404   ok    ok    ok
meetings:rules                                             GET    L     404   404   404   404   404   404   404   ok
meetings:rules                                             POST   L     404   404   404   404   404   404   404   404
# the secretaries' 党课 and talks of the year: who sees the work; a talk is posted with ?org= (EDIT_WORK), without it 404
meetings:talks                                             GET    L     404   404   ok    ok    ok    ok    ok    ok
meetings:talks                                             POST   L     404   404   404   404   404   404   404   404

# --- grids
grids:list                                                 GET    L     404   ok    ok    ok    ok    ok    ok    ok
grids:list                                                 POST   L     404   400   400   400   400   400   400   400
grids:detail                                               GET    L     404   ok    ok    ok    404   ok    ok    ok
grids:detail                                               POST   L     404   ok    ok    ok    404   ok    ok    ok
grids:action                                               GET    L     405   405   405   405   405   405   405   405
grids:action                                               POST   L     404   400   404   404   404   400   400   400
grids:household                                            GET    L     404   ok    ok    ok    404   ok    ok    ok
grids:household                                            POST   L     404   ok    ok    ok    404   ok    ok    ok
grids:household_reveal                                     GET    L     405   405   405   405   405   405   405   405
grids:household_reveal                                     POST   L     404   404   404   404   404   ok    ok    ok
grids:household_action                                     GET    L     405   405   405   405   405   405   405   405
grids:household_action                                     POST   L     404   400   404   404   404   400   400   400
grids:plan_list                                            GET    L     404   404   ok    ok    ok    ok    ok    ok
grids:plan_list                                            POST   L     404   404   400   400   400   400   400   400
grids:plan_detail                                          GET    L     404   404   ok    ok    404   ok    ok    ok
grids:plan_detail                                          POST   L     404   404   404   404   404   400   400   400

# --- departments (吹哨报到)
departments:list                                           GET    L     404   404   ok    ok    ok    ok    ok    ok
departments:list                                           POST   L     404   404   404   404   404   404   400   400   # only who keeps a street's work adds
departments:detail                                         GET    L     404   404   ok    ok    404   404   ok    ok
departments:detail                                         POST   L     404   404   404   404   404   404   400   400
departments:summonses                                      GET    L     404   404   ok    ok    ok    ok    ok    ok
departments:summonses                                      POST   L     404   404   ok    ok    ok    ok    ok    ok
departments:summons                                        GET    L     404   404   ok    ok    404   ok    ok    ok
departments:summons                                        POST   L     404   404   400   400   404   400   400   400   # empty answer
departments:summon                                         GET    L     404   404   404   404   404   404   ok    ok
departments:summon                                         POST   L     404   404   404   404   404   404   400   400
departments:metrics                                        GET    L     404   404   ok    ok    ok    ok    ok    ok
departments:metrics                                        POST   L     404   404   ok    ok    ok    ok    ok    ok
# --- appeals
appeals:list                                               GET    L     404   ok    ok    ok    ok    ok    ok    ok
appeals:list                                               POST   L     404   ok    ok    ok    ok    ok    ok    ok
appeals:submit                                             GET    ok    ok    ok    ok    ok    ok    ok    ok    ok
appeals:submit                                             POST   400   400   400   400   400   400   400   400   400
appeals:track                                              GET    ok    ok    ok    ok    ok    ok    ok    ok    ok
appeals:track                                              POST   404   404   404   404   404   404   404   404   404   # an empty code names no appeal
appeals:rate                                               GET    405   405   405   405   405   405   405   405   405
appeals:rate                                               POST   400   400   400   400   400   400   400   400   400
appeals:note                                               GET    405   405   405   405   405   405   405   405   405
appeals:note                                               POST   400   400   400   400   400   400   400   400   400
appeals:new                                                GET    L     404   ok    404   404   ok    ok    ok    ok
appeals:new                                                POST   L     404   ok    404   404   ok    ok    ok    ok
appeals:metrics                                            GET    L     ok    ok    ok    ok    ok    ok    ok    ok
appeals:metrics                                            POST   L     ok    ok    ok    ok    ok    ok    ok    ok
appeals:config                                             GET    L     ok    ok    ok    ok    ok    ok    ok    ok
appeals:config                                             POST   L     400   400   400   400   400   400   400   400
appeals:categories                                         GET    L     404   404   404   404   404   404   404   ok    # the superuser keeps the taxonomy
appeals:categories                                         POST   L     404   404   404   404   404   404   404   ok    # a valid new category (FORMS)
appeals:category_edit                                      GET    L     404   404   404   404   404   404   404   ok
appeals:category_edit                                      POST   L     404   404   404   404   404   404   404   ok    # a valid rename (FORMS)
appeals:classifier                                         GET    L     404   ok    ok    ok    ok    ok    ok    ok
appeals:classifier                                         POST   L     404   ok    ok    ok    ok    ok    ok    ok
appeals:detail                                             GET    L     404   ok    ok    ok    404   ok    ok    ok
appeals:detail                                             POST   L     404   ok    ok    ok    404   ok    ok    ok
appeals:step                                               GET    L     405   405   405   405   405   405   405   405
appeals:step                                               POST   L     404   400   400   400   404   400   400   400
appeals:accept                                             GET    L     405   405   405   405   405   405   405   405
appeals:accept                                             POST   L     404   400   400   400   404   400   400   400
appeals:finish                                             GET    L     405   405   405   405   405   405   405   405
appeals:finish                                             POST   L     404   400   400   400   404   400   400   400
appeals:categorise                                         GET    L     405   405   405   405   405   405   405   405
appeals:categorise                                         POST   L     404   400   400   400   404   400   400   400
appeals:correct                                            GET    L     405   405   405   405   405   405   405   405
appeals:correct                                            POST   L     404   400   400   400   404   400   400   400
appeals:reveal                                             GET    L     405   405   405   405   405   405   405   405
appeals:declines                                           GET    L     404   ok    ok    ok    ok    ok    ok    ok
appeals:declines                                           POST   L     404   ok    ok    ok    ok    ok    ok    ok
appeals:household                                          GET    L     405   405   405   405   405   405   405   405
appeals:household                                          POST   L     404   400   404   404   404   400   400   400   # no household named
appeals:merge                                              GET    L     405   405   405   405   405   405   405   405
appeals:merge                                              POST   L     404   400   404   404   404   400   400   400   # no case named to merge into
appeals:callback                                           GET    L     405   405   405   405   405   405   405   405
appeals:callback                                           POST   L     404   400   404   404   404   400   400   400   # empty answer; reviewer/auditor do not record
appeals:approve_decline                                    GET    L     405   405   405   405   405   405   405   405
appeals:approve_decline                                    POST   L     404   404   404   404   404   404   400   400   # only the superior; the world's appeal is not declined
appeals:reveal                                             POST   L     404   404   404   404   404   ok    ok    ok

# --- projects
projects:list                                              GET    L     404   404   ok    ok    ok    ok    ok    ok
projects:list                                              POST   L     404   404   ok    ok    ok    ok    ok    ok
projects:new                                               GET    L     404   404   404   404   ok    ok    ok    ok
projects:new                                               POST   L     404   404   404   404   ok    ok    ok    ok
projects:detail                                            GET    L     404   404   ok    ok    404   ok    ok    ok
projects:detail                                            POST   L     404   404   ok    ok    404   ok    ok    ok
projects:edit                                              GET    L     404   404   404   404   404   ok    ok    ok
projects:edit                                              POST   L     404   404   404   404   404   ok    ok    ok
projects:transition                                        GET    L     405   405   405   405   405   405   405   405
projects:transition                                        POST   L     404   404   404   404   404   ok    ok    ok
projects:target_report                                     GET    L     405   405   405   405   405   405   405   405
projects:target_report                                     POST   L     404   404   ok    ok    404   ok    ok    ok
projects:done                                              GET    L     405   405   405   405   405   405   405   405
projects:done                                              POST   L     404   404   404   404   404   ok    ok    ok

# --- duty
duty:list                                                  GET    L     404   404   ok    ok    ok    ok    ok    ok
duty:list                                                  POST   L     404   404   ok    ok    ok    ok    ok    ok
duty:new                                                   GET    L     404   404   404   404   ok    ok    ok    ok
duty:new                                                   POST   L     404   404   404   404   ok    ok    ok    ok
duty:detail                                                GET    L     404   404   ok    ok    404   ok    ok    ok
duty:detail                                                POST   L     404   404   404   404   404   ok    ok    ok
duty:rate                                                  GET    L     405   405   405   405   405   405   405   405
duty:rate                                                  POST   L     404   404   ok    ok    404   ok    ok    ok
duty:templates                                             GET    L     404   404   ok    404   404   404   ok    ok
duty:templates                                             POST   L     404   404   ok    404   404   404   ok    ok
duty:template                                              GET    L     404   404   ok    404   404   404   ok    ok
duty:template                                              POST   L     404   404   ok    404   404   404   ok    ok

# --- surveys
surveys:index                                              GET    L     404   404   ok    ok    ok    ok    ok    ok
surveys:index                                              POST   L     404   404   ok    ok    ok    ok    ok    ok
surveys:questionnaire_new                                  GET    L     404   404   404   404   ok    ok    ok    ok
surveys:questionnaire_new                                  POST   L     404   404   404   404   ok    ok    ok    ok
surveys:questionnaire                                      GET    L     404   404   ok    ok    404   404   ok    ok
surveys:questionnaire                                      POST   L     404   404   404   404   404   404   ok    ok
surveys:round_new                                          GET    L     404   404   ok    ok    404   404   ok    ok
surveys:round_new                                          POST   L     404   404   ok    ok    404   404   ok    ok
surveys:round                                              GET    L     404   404   ok    ok    404   ok    ok    ok
surveys:round                                              POST   L     404   404   ok    ok    404   ok    ok    ok
surveys:answer                                             GET    ok    ok    ok    ok    ok    ok    ok    ok    ok
surveys:answer                                             POST   ok    ok    ok    ok    ok    ok    ok    ok    ok
# A member's own link: only to a round open to them (branch A's demo round is finished: 404 for everyone).
surveys:take                                               GET    L     404   404   404   404   404   404   404   404
surveys:take                                               POST   L     404   404   404   404   404   404   404   404

# --- assessment
assessment:list                                            GET    L     404   404   ok    ok    ok    ok    ok    ok
assessment:list                                            POST   L     404   404   ok    404   404   404   ok    ok
assessment:scheme                                          GET    L     404   404   ok    404   404   404   ok    ok
assessment:scheme                                          POST   L     404   404   ok    404   404   404   ok    ok
assessment:detail                                          GET    L     404   404   ok    ok    404   ok    ok    ok
assessment:detail                                          POST   L     404   404   ok    ok    404   ok    ok    ok
assessment:pdf                                             GET    L     404   404   ok    ok    404   ok    ok    ok
assessment:pdf                                             POST   L     404   404   ok    ok    404   ok    ok    ok

# --- resources
resources:resource_list                                    GET    L     404   404   ok    ok    ok    ok    ok    ok
resources:resource_list                                    POST   L     404   404   ok    ok    ok    ok    ok    ok
resources:resource_new                                     GET    L     404   404   404   404   ok    ok    ok    ok
resources:resource_new                                     POST   L     404   404   404   404   ok    ok    ok    ok
resources:resource_detail                                  GET    L     404   404   ok    ok    ok    ok    ok    ok
resources:resource_detail                                  POST   L     404   404   ok    ok    ok    ok    ok    ok
resources:need_list                                        GET    L     404   404   ok    ok    ok    ok    ok    ok
resources:need_list                                        POST   L     404   404   ok    ok    ok    ok    ok    ok
resources:need_new                                         GET    L     404   404   404   404   ok    ok    ok    ok
resources:need_new                                         POST   L     404   404   404   404   ok    ok    ok    ok
resources:need_detail                                      GET    L     404   404   ok    ok    404   ok    ok    ok
resources:need_detail                                      POST   L     404   404   ok    ok    404   ok    ok    ok
resources:need_from_appeal                                 GET    L     405   405   405   405   405   405   405   405
resources:need_from_appeal                                 POST   L     404   404   404   404   404   ok    ok    ok
resources:project_list                                     GET    L     404   404   ok    ok    ok    ok    ok    ok
resources:project_list                                     POST   L     404   404   ok    ok    ok    ok    ok    ok
resources:project_detail                                   GET    L     404   404   ok    ok    404   ok    ok    ok
resources:project_detail                                   POST   L     404   404   ok    ok    404   ok    ok    ok
resources:partner_list                                     GET    L     404   404   ok    ok    ok    ok    ok    ok
resources:partner_list                                     POST   L     404   404   ok    ok    ok    ok    ok    ok
resources:partner_new                                      GET    L     404   404   404   404   ok    ok    ok    ok
resources:partner_new                                      POST   L     404   404   404   404   ok    ok    ok    ok
resources:partner_detail                                   GET    L     404   404   ok    ok    404   ok    ok    ok
resources:partner_detail                                   POST   L     404   404   ok    ok    404   ok    ok    ok
resources:booking_list                                     GET    L     404   404   ok    ok    ok    ok    ok    ok
resources:booking_list                                     POST   L     404   404   ok    ok    ok    ok    ok    ok
resources:booking_cancel                                   GET    L     405   405   405   405   405   405   405   405
resources:booking_cancel                                   POST   L     404   404   404   404   404   ok    ok    ok

# --- volunteering
volunteering:list                                          GET    L     ok    404   ok    ok    ok    ok    ok    ok   # the member's own records (the demo's member persona is someone's own record)
volunteering:list                                          POST   L     ok    404   ok    ok    ok    ok    ok    ok
volunteering:new                                           GET    L     404   404   404   404   ok    ok    ok    ok
volunteering:new                                           POST   L     404   404   404   404   ok    ok    ok    ok
volunteering:hours                                         GET    L     404   404   ok    ok    ok    ok    ok    ok
volunteering:hours                                         POST   L     404   404   ok    ok    ok    ok    ok    ok
volunteering:detail                                        GET    L     404   404   ok    ok    404   ok    ok    ok
volunteering:detail                                        POST   L     404   404   ok    ok    404   ok    ok    ok
volunteering:signup                                        GET    L     405   405   405   405   405   405   405   405
volunteering:signup                                        POST   L     404   404   ok    ok    404   400   ok    ok

# --- funds (the activity funds ledger: staff who see the work read it, editors record and correct)
funds:list                                                 GET    L     404   404   ok    ok    ok    ok    ok    ok
funds:list                                                 POST   L     404   404   ok    ok    ok    ok    ok    ok
funds:new                                                  GET    L     404   404   404   404   ok    ok    ok    ok
funds:new                                                  POST   L     404   404   404   404   400   400   400   400   # an empty form is refused
funds:detail                                               GET    L     404   404   ok    ok    404   ok    ok    ok
funds:detail                                               POST   L     404   404   ok    ok    404   400   400   400   # readers get the page; editors' empty correction is refused

# --- learning
learning:case_list                                         GET    L     404   404   ok    ok    ok    ok    ok    ok
learning:case_list                                         POST   L     404   404   ok    ok    ok    ok    ok    ok
learning:case_new                                          GET    L     404   404   404   404   ok    ok    ok    ok
learning:case_new                                          POST   L     404   404   404   404   ok    ok    ok    ok
learning:case_detail                                       GET    L     404   404   ok    ok    404   ok    ok    ok
learning:case_detail                                       POST   L     404   404   ok    ok    404   ok    ok    ok
learning:plan_list                                         GET    L     404   404   ok    ok    ok    ok    ok    ok
learning:plan_list                                         POST   L     404   404   ok    ok    ok    ok    ok    ok
learning:plan_new                                          GET    L     404   404   404   404   ok    ok    ok    ok
learning:plan_new                                          POST   L     404   404   404   404   ok    ok    ok    ok
learning:material_list                                     GET    L     ok    404   ok    ok    ok    ok    ok    ok   # the member's own records (the demo's member persona is someone's own record)
learning:material_list                                     POST   L     ok    404   ok    ok    ok    ok    ok    ok
learning:material_new                                      GET    L     404   404   404   404   ok    ok    ok    ok
learning:material_new                                      POST   L     404   404   404   404   ok    ok    ok    ok
learning:record_list                                       GET    L     ok    404   ok    ok    ok    ok    ok    ok   # the member's own records (the demo's member persona is someone's own record)
learning:record_list                                       POST   L     ok    404   ok    ok    ok    ok    ok    ok
learning:record_new                                        GET    L     ok    404   404   404   ok    ok    ok    ok   # the member's own records (the demo's member persona is someone's own record)
learning:record_new                                        POST   L     ok    404   404   404   ok    ok    ok    ok
learning:summary                                           GET    L     404   404   ok    ok    ok    ok    ok    ok
learning:summary                                           POST   L     404   404   ok    ok    ok    ok    ok    ok
learning:reflection_list                                   GET    L     ok    404   ok    ok    ok    ok    ok    ok   # the member's own records (the demo's member persona is someone's own record)
learning:reflection_list                                   POST   L     ok    404   ok    ok    ok    ok    ok    ok
learning:reflection_new                                    GET    L     ok    404   404   404   ok    ok    ok    ok   # the member's own records (the demo's member persona is someone's own record)
learning:reflection_new                                    POST   L     ok    404   404   404   ok    ok    ok    ok
learning:reflection_detail                                 GET    L     404   404   ok    ok    404   ok    ok    ok
learning:reflection_detail                                 POST   L     404   404   ok    ok    404   ok    ok    ok
learning:source_list                                       GET    L     404   404   ok    ok    ok    ok    ok    ok
learning:source_list                                       POST   L     404   404   ok    ok    ok    ok    ok    ok
learning:source_new                                        GET    L     404   404   ok    404   404   404   ok    ok
learning:source_new                                        POST   L     404   404   ok    404   404   404   ok    ok

# --- committees
committees:list                                            GET    L     404   404   ok    ok    ok    ok    ok    ok
committees:list                                            POST   L     404   404   ok    ok    ok    ok    ok    ok
committees:org                                             GET    L     404   404   ok    ok    404   ok    ok    ok
committees:org                                             POST   L     404   404   ok    ok    404   ok    ok    ok
committees:term_new                                        GET    L     404   404   404   404   404   ok    ok    ok
committees:term_new                                        POST   L     404   404   404   404   404   ok    ok    ok
committees:term_correct                                    GET    L     404   404   404   404   404   ok    ok    ok
committees:term_correct                                    POST   L     404   404   404   404   404   ok    ok    ok
committees:rules                                           GET    L     404   404   404   404   404   404   404   ok
committees:rules                                           POST   L     404   404   404   404   404   404   404   ok

# --- evaluation
evaluation:periods                                         GET    L     404   404   ok    ok    ok    ok    ok    ok
evaluation:periods                                         POST   L     404   404   ok    404   404   404   ok    ok
evaluation:period                                          GET    L     404   404   ok    ok    ok    ok    ok    ok
evaluation:period                                          POST   L     404   404   ok    ok    ok    ok    ok    ok
evaluation:config                                          GET    L     404   404   ok    404   404   404   ok    ok
evaluation:config                                          POST   L     404   404   ok    404   404   404   ok    ok
evaluation:drill                                           GET    L     404   404   ok    ok    404   ok    ok    ok
evaluation:drill                                           POST   L     404   404   ok    ok    404   ok    ok    ok
evaluation:ahp_check                                       GET    L     405   405   405   405   405   405   405   405
evaluation:ahp_check                                       POST   L     404   404   404   404   404   404   404   404
evaluation:indicators                                      GET    L     404   404   ok    ok    ok    ok    ok    ok
evaluation:indicators                                      POST   L     404   404   ok    404   404   404   ok    ok
evaluation:schemes                                         GET    L     404   404   ok    ok    ok    ok    ok    ok
evaluation:schemes                                         POST   L     404   404   ok    ok    ok    ok    ok    ok
evaluation:scheme_edit                                     GET    L     404   404   ok    404   404   404   ok    ok
evaluation:scheme_edit                                     POST   L     404   404   ok    404   404   404   ok    ok
evaluation:alerts                                          GET    L     404   404   ok    ok    ok    ok    ok    ok
evaluation:alerts                                          POST   L     404   404   ok    ok    ok    ok    ok    ok
evaluation:alert_detail                                    GET    L     404   404   ok    ok    404   ok    ok    ok
evaluation:alert_detail                                    POST   L     404   404   ok    404   404   404   ok    ok
evaluation:rect_list                                       GET    L     404   404   ok    ok    ok    ok    ok    ok
evaluation:rect_list                                       POST   L     404   404   ok    ok    ok    ok    ok    ok
evaluation:rect_detail                                     GET    L     404   404   ok    ok    404   ok    ok    ok
evaluation:rect_detail                                     POST   L     404   404   404   404   404   404   404   404
evaluation:weak_list                                       GET    L     404   404   ok    ok    ok    ok    ok    ok
evaluation:weak_list                                       POST   L     404   404   ok    ok    ok    ok    ok    ok
evaluation:weak_decide                                     GET    L     404   404   ok    404   404   404   ok    ok   # the deciding committee: ASSESS over a committee
evaluation:weak_decide                                     POST   L     404   404   ok    404   404   404   ok    ok   # an empty form: its errors on the page
evaluation:weak_settings                                   GET    L     404   404   ok    404   404   404   ok    ok   # installation-wide: ASSESS on a root org
evaluation:weak_settings                                   POST   L     404   404   ok    404   404   404   ok    ok
evaluation:weak_detail                                     GET    L     404   404   ok    ok    404   ok    ok    ok
evaluation:weak_detail                                     POST   L     404   404   404   404   404   404   404   404   # no action named: nobody

# --- dashboards
dashboards:index                                           GET    L     404   404   ok    ok    ok    ok    ok    ok
dashboards:index                                           POST   L     404   404   ok    ok    ok    ok    ok    ok
dashboards:org                                             GET    L     404   404   ok    ok    404   ok    ok    ok
dashboards:org                                             POST   L     404   404   ok    ok    404   ok    ok    ok
dashboards:drill                                           GET    L     404   404   ok    ok    404   ok    ok    ok
dashboards:drill                                           POST   L     404   404   ok    ok    404   ok    ok    ok
dashboards:report_pdf                                      GET    L     404   404   ok    ok    404   ok    ok    ok
dashboards:report_pdf                                      POST   L     404   404   ok    ok    404   ok    ok    ok
dashboards:report_xlsx                                     GET    L     404   404   ok    ok    404   ok    ok    ok
dashboards:report_xlsx                                     POST   L     404   404   ok    ok    404   ok    ok    ok
dashboards:compare                                         GET    L     404   404   ok    ok    ok    ok    ok    ok
dashboards:compare                                         POST   L     404   404   ok    ok    ok    ok    ok    ok
dashboards:screen                                          GET    L     404   404   ok    ok    ok    ok    ok    ok
dashboards:screen                                          POST   L     404   404   ok    ok    ok    ok    ok    ok
dashboards:screen_data                                     GET    L     404   404   ok    ok    ok    ok    ok    ok
dashboards:screen_data                                     POST   L     404   404   ok    ok    ok    ok    ok    ok
dashboards:export                                          GET    L     404   404   ok    ok    ok    ok    ok    ok
dashboards:export                                          POST   L     404   404   ok    ok    ok    ok    ok    ok

# --- api
api:openapi-json                                           GET    ok    ok    ok    ok    ok    ok    ok    ok    ok
api:openapi-json                                           POST   ok    ok    ok    ok    ok    ok    ok    ok    ok
api:openapi-view                                           GET    ok    ok    ok    ok    ok    ok    ok    ok    ok
api:openapi-view                                           POST   ok    ok    ok    ok    ok    ok    ok    ok    ok
api:api-root                                               GET    404   404   404   404   404   404   404   404   404
api:api-root                                               POST   404   404   404   404   404   404   404   404   404

# --- api orgs
/api/orgs/                                                 GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/orgs/                                                 POST   L     404   404   404   404   404   404   ok    ok
/api/orgs/{org_id}                                         GET    L     404   404   ok    ok    404   ok    ok    ok
/api/orgs/{org_id}                                         PATCH  L     404   404   404   404   404   404   ok    ok
/api/orgs/{org_id}/children                                GET    L     404   404   ok    ok    404   ok    ok    ok
/api/orgs/{org_id}/move                                    POST   L     404   404   404   404   404   404   400   400

# --- api members
/api/metrics/                                              GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/metrics/{code}/breakdown                              GET    L     404   404   ok    ok    404   ok    ok    ok
/api/members/search                                        POST   L     404   404   ok    ok    404   ok    ok    ok    # roster readers over branch A (the body's org)
/api/members/                                              GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/members/                                              POST   L     404   404   404   404   404   400   400   400
/api/members/{member_id}                                   GET    L     404   404   ok    ok    404   ok    ok    ok
/api/members/{member_id}                                   PATCH  L     404   404   404   404   404   400   400   400
/api/members/{member_id}/reveal                            POST   L     404   404   404   404   404   ok    ok    ok
/api/members/{member_id}/status                            POST   L     404   404   404   404   404   ok    ok    ok
/api/members/{member_id}/entered-in-error                  POST   L     404   404   404   404   404   400   400   400
/api/members/{member_id}/transfers                         POST   L     404   404   404   404   404   400   400   400
/api/members/{member_id}/history                           GET    L     404   404   ok    ok    404   ok    ok    ok

# --- api transfers
/api/transfers/                                            GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/transfers/{transfer_id}                               GET    L     404   404   ok    ok    ok    ok    ok    ok
/api/transfers/{transfer_id}/decide                        POST   L     404   404   400   400   ok    ok    ok    ok

# --- api dues
/api/dues/ledger                                           GET    L     404   404   ok    ok    ok    ok    ok    ok
/api/dues/ledger/generate                                  POST   L     404   404   404   404   404   400   400   400
/api/dues/payments                                         POST   L     404   404   404   404   404   400   400   400
/api/dues/payments/batch                                   POST   L     404   404   404   404   404   400   400   400
/api/dues/arrears                                          GET    L     404   404   ok    ok    ok    ok    ok    ok
/api/dues/summary                                          GET    L     404   404   ok    ok    ok    ok    ok    ok
/api/dues/remittances                                      POST   L     404   404   404   404   404   400   400   400
/api/dues/bases/{member_id}                                PUT    L     404   404   404   404   404   ok    ok    ok
/api/dues/dues/{due_id}/voided                             GET    L     404   404   ok    ok    404   ok    ok    ok
/api/dues/dues/{due_id}/payment/void                       POST   L     404   404   404   404   404   ok    ok    ok
/api/dues/dues/{due_id}/payment/correct                    POST   L     404   404   404   404   404   400   400   400
/api/dues/remittances/{remittance_id}/void                 POST   L     404   404   404   404   404   ok    ok    ok
/api/dues/reductions                                       GET    L     404   404   ok    ok    ok    ok    ok    ok
/api/dues/reductions                                       POST   L     404   404   404   404   404   400   400   400   # the plain body's months are not months
/api/dues/reductions/{reduction_id}/decide                 POST   L     404   404   ok    400   404   400   ok    ok    # only the superior (ASSESS: reviewer, officer) decides

# --- api recruitment
/api/recruitment/steps                                     GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/recruitment/applicants                                GET    L     404   404   ok    ok    ok    ok    ok    ok
/api/recruitment/applicants                                POST   L     404   404   404   404   404   400   400   400
/api/recruitment/applicants/{pk}                           GET    L     404   404   ok    ok    404   ok    ok    ok
/api/recruitment/applicants/{pk}/steps                     POST   L     404   404   404   404   404   400   400   400
/api/recruitment/applicants/{pk}/extension                 POST   L     404   404   404   404   404   400   400   400
/api/recruitment/applicants/{pk}/steps/{code}/correct      POST   L     404   404   404   404   404   400   400   400
/api/recruitment/applicants/{pk}/steps/{code}/withdraw     POST   L     404   404   404   404   404   400   400   400
/api/recruitment/applicants/{pk}/corrections               GET    L     404   404   ok    ok    404   ok    ok    ok
/api/recruitment/applicants/{pk}/activist                  GET    L     404   404   ok    ok    404   ok    ok    ok
/api/recruitment/applicants/{pk}/mentors                   POST   L     404   404   404   404   404   400   400   400
/api/recruitment/applicants/{pk}/mentors/end               POST   L     404   404   404   404   404   400   400   400
/api/recruitment/applicants/{pk}/reviews                   POST   L     404   404   404   404   404   400   400   400

# --- api meetings
/api/meetings                                              GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/meetings                                              POST   L     404   404   404   404   404   400   400   400
/api/meetings/{meeting_id}                                 GET    L     404   404   ok    ok    404   ok    ok    ok
/api/meetings/{meeting_id}                                 PATCH  L     404   404   404   404   404   400   400   400
/api/meetings/{meeting_id}/attendance                      GET    L     404   404   ok    ok    404   ok    ok    ok
/api/meetings/{meeting_id}/hold                            POST   L     404   404   404   404   404   400   400   400
/api/meetings/{meeting_id}/cancel                          POST   L     404   404   404   404   404   400   400   400
/api/meetings/{meeting_id}/correct                         POST   L     404   404   404   404   404   400   400   400
/api/meetings/{meeting_id}/corrections                     GET    L     404   404   ok    ok    404   ok    ok    ok
/api/meetings/compliance                                   GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/meetings/life-warnings                                GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/meetings/appraisals                                   GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/meetings/appraisals                                   POST   L     404   404   404   404   404   400   400   400
/api/meetings/talks                                        POST   L     404   404   404   404   404   400   400   400   # talking with oneself: refused
/api/meetings/secretary-duties                             GET    L     404   404   ok    ok    ok    ok    ok    ok
/api/meetings/unqualified                                  GET    L     404   404   ok    ok    ok    ok    ok    ok
/api/meetings/appraisals/{appraisal_id}/followup           POST   L     404   404   404   404   404   400   400   400   # no such step
/api/meetings/lapsed                                       GET    L     404   404   ok    ok    ok    ok    ok    ok
/api/meetings/good-reasons                                 POST   L     404   404   404   404   404   ok    ok    ok

# --- api committees
/api/committees/orgs                                       GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/committees/terms                                      GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/committees/terms                                      POST   L     404   404   404   404   404   400   400   400
/api/committees/terms/{term_id}                            GET    L     404   404   ok    ok    404   ok    ok    ok
/api/committees/terms/{term_id}/correct                    POST   L     404   404   404   404   404   400   400   400
/api/committees/terms/{term_id}/corrections                GET    L     404   404   ok    ok    404   ok    ok    ok

# --- api grids
/api/grids/                                                GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/grids/links                                           GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/grids/links                                           POST   L     404   400   404   404   404   400   400   400
/api/grids/{grid_id}                                       GET    L     404   ok    ok    ok    404   ok    ok    ok
/api/grids/{grid_id}/households                            GET    L     404   ok    ok    ok    404   ok    ok    ok
/api/grids/{grid_id}/households                            POST   L     404   ok    404   404   404   ok    ok    ok
/api/grids/households/{household_id}                       GET    L     404   ok    ok    ok    404   ok    ok    ok
/api/grids/households/{household_id}/versions              GET    L     404   ok    ok    ok    404   ok    ok    ok
/api/grids/households/{household_id}/correct               POST   L     404   ok    404   404   404   ok    ok    ok
/api/grids/households/{household_id}/move                  POST   L     404   400   404   404   404   400   400   400
/api/grids/households/{household_id}/entered-in-error      POST   L     404   400   404   404   404   400   400   400
/api/grids/{grid_id}/staff                                 GET    L     404   ok    ok    ok    404   ok    ok    ok
/api/grids/{grid_id}/staff/{post_id}/remove                POST   L     404   404   404   404   404   ok    ok    ok
/api/grids/{grid_id}/deactivate                            POST   L     404   404   404   404   404   400   400   400
/api/grids/{grid_id}/reactivate                            POST   L     404   404   404   404   404   400   400   400
/api/grids/{grid_id}/changes                               GET    L     404   ok    ok    ok    404   ok    ok    ok
/api/grids/{grid_id}/correct                               POST   L     404   404   404   404   404   ok    ok    ok
/api/grids/households/{household_id}/residents             GET    L     404   ok    ok    ok    404   ok    ok    ok
/api/grids/households/{household_id}/residents             POST   L     404   ok    404   404   404   ok    ok    ok
/api/grids/households/{household_id}/residents/versions    GET    L     404   ok    ok    ok    404   ok    ok    ok
/api/grids/households/{household_id}/residents/{resident_id}/correct POST   L     404   400   404   404   404   400   400   400
/api/grids/households/{household_id}/residents/{resident_id}/entered-in-error POST   L     404   400   404   404   404   400   400   400
/api/grids/links/{link_id}/end                             POST   L     404   400   404   404   404   400   400   400

# --- api departments
/api/departments/                                          GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/departments/summonses                                 GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/departments/summonses                                 POST   L     404   404   404   404   404   404   400   400   # only the street summons; the world's appeal is summoned already
/api/departments/summonses/{summons_id}/answer             POST   L     404   404   404   404   404   400   400   400   # only the department's contacts answer
/api/departments/metrics                                   GET    L     ok    ok    ok    ok    ok    ok    ok    ok
# --- api appeals
/api/appeals/                                              GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/appeals/                                              POST   L     404   ok    404   404   404   ok    ok    ok
/api/appeals/metrics                                       GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/appeals/lookup                                        POST   L     404   ok    ok    ok    404   ok    ok    ok
/api/appeals/{appeal_id}                                   GET    L     404   ok    ok    ok    404   ok    ok    ok
/api/appeals/{appeal_id}/steps                             POST   L     404   400   400   400   404   400   400   400
/api/appeals/{appeal_id}/correct                           POST   L     404   400   404   404   404   400   400   400
/api/appeals/{appeal_id}/duplicates                        GET    L     404   ok    ok    ok    404   ok    ok    ok
/api/appeals/{appeal_id}/merge                             POST   L     404   400   404   404   404   400   400   400   # into itself (BODIES)
/api/appeals/{appeal_id}/callback                          POST   L     404   400   404   404   404   400   400   400
/api/appeals/{appeal_id}/approve-decline                   POST   L     404   404   404   404   404   404   400   400
/api/appeals/declines/                                     GET    L     ok    ok    ok    ok    ok    ok    ok    ok

# --- api projects
/api/projects                                              GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/projects                                              POST   L     404   404   404   404   404   ok    ok    ok
/api/projects/{project_id}                                 GET    L     404   404   ok    ok    404   ok    ok    ok
/api/projects/{project_id}/targets                         POST   L     404   404   404   404   404   400   400   400
/api/projects/{project_id}/{action}                        POST   L     404   404   404   404   404   400   400   400

# --- api duty
/api/duty                                                  GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/duty/{list_id}                                        GET    L     404   404   ok    ok    404   ok    ok    ok
/api/duty/items/{item_id}/rate                             POST   L     404   404   400   400   404   400   400   400
/api/duty/templates/{template_id}/issue                    POST   L     404   404   400   404   404   404   400   400

# --- api surveys
/api/surveys/rounds                                        GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/surveys/rounds/{round_id}/results                     GET    L     404   404   ok    ok    404   ok    ok    ok
/api/surveys/submit                                        POST   400   400   400   400   400   400   400   400   400
/api/surveys/rounds/{round_id}/tokens                      POST   L     404   404   400   400   404   400   400   400

# --- api assessment
/api/assessment/schemes                                    GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/assessment/assessments                                GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/assessment/assessments/{assessment_id}                GET    L     404   404   ok    ok    404   ok    ok    ok
/api/assessment/assessments/{assessment_id}/scores         POST   L     404   404   400   400   404   400   400   400
/api/assessment/assessments/{assessment_id}/appeals        POST   L     404   404   404   404   404   ok    ok    ok
/api/assessment/assessments/{assessment_id}/self-report    POST   L     404   404   404   404   404   400   400   400
/api/assessment/assessments/{assessment_id}/compute        POST   L     404   404   400   400   404   400   400   400
/api/assessment/schemes/{scheme_id}/start                  POST   L     404   404   400   404   404   404   400   400
/api/assessment/schemes/{scheme_id}/publish                POST   L     404   404   400   404   404   404   400   400
/api/assessment/appeals/{appeal_id}/answer                 POST   L     404   404   ok    400   404   400   ok    ok

# --- api resources
/api/resources/                                            GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/resources/needs                                       GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/resources/needs                                       POST   L     404   404   404   404   404   400   400   400
/api/resources/needs/from-appeal/{appeal_id}               POST   L     404   404   404   404   404   ok    ok    ok
/api/resources/needs/{need_id}/suggestions                 GET    L     404   404   ok    ok    404   ok    ok    ok
/api/resources/bookings                                    GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/resources/bookings                                    POST   L     404   404   404   404   404   400   400   400
/api/resources/partners                                    GET    L     ok    ok    ok    ok    ok    ok    ok    ok

# --- api volunteering
/api/volunteering/activities                               GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/volunteering/activities                               POST   L     404   404   404   404   404   400   400   400
/api/volunteering/activities/{pk}/signups                  GET    L     404   404   ok    ok    404   ok    ok    ok
/api/volunteering/activities/{pk}/signups                  POST   L     404   404   404   404   404   400   400   400
/api/volunteering/activities/{pk}/attendance               POST   L     404   404   404   404   404   400   400   400
# --- api funds
/api/funds/spendings                                       GET    L     ok    ok    ok    ok    ok    ok    ok    ok    # scoped: an empty list for who sees none
/api/funds/spendings                                       POST   L     404   404   404   404   404   400   400   400   # no such source of funds
/api/funds/spendings/{spending_id}                         GET    L     404   404   ok    ok    404   ok    ok    ok
/api/funds/spendings/{spending_id}                         PATCH  L     404   404   404   404   404   400   400   400
/api/funds/total                                           GET    L     404   404   ok    ok    404   ok    ok    ok
/api/volunteering/hours                                    GET    L     404   404   ok    ok    404   ok    ok    ok

# --- api learning
/api/learning/cases                                        GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/learning/cases                                        POST   L     404   404   404   404   404   400   400   400
/api/learning/study-records                                POST   L     404   404   404   404   404   400   400   400
/api/learning/reflections                                  GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/learning/reflections                                  POST   L     404   404   404   404   404   400   400   400
/api/learning/reflections/{pk}                             GET    L     404   404   ok    ok    404   ok    ok    ok

# --- api evaluation
/api/evaluation/indicators                                 GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/periods                                    GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/periods/{period_id}/values                 GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/periods/{period_id}/indices                GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/periods/{period_id}/efficiency             GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/periods/{period_id}/grades                 GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/warnings                                   GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/rectifications                             GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/rectifications                             POST   L     404   404   ok    404   404   404   ok    ok
/api/evaluation/weak-decisions                             GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/weak-decisions                             POST   L     404   404   400   404   404   404   400   400   # the committee may decide; the minimal body is refused
/api/evaluation/weak-decisions/{decision_id}               GET    L     404   404   ok    ok    404   ok    ok    ok
/api/evaluation/weak-decisions/{decision_id}/notes         POST   L     404   404   400   404   404   400   400   400   # the org and its superiors; an empty note is refused
/api/evaluation/weak-decisions/{decision_id}/submit        POST   L     404   404   404   404   404   400   400   400   # the org itself; an empty report is refused
/api/evaluation/weak-decisions/{decision_id}/review        POST   L     404   404   400   404   404   404   400   400   # the plan is not submitted yet
/api/evaluation/weak-decisions/{decision_id}/conclude      POST   L     404   404   400   404   404   404   400   400   # not accepted yet
/api/evaluation/weak-candidates                            GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/weak-summary                               GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/periods/{period_id}/results.xlsx           GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/warnings.xlsx                              GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/rectifications.xlsx                        GET    L     ok    ok    ok    ok    ok    ok    ok    ok
/api/evaluation/rectifications/{rect_id}                   GET    L     404   404   ok    ok    404   ok    ok    ok
/api/evaluation/rectifications/{rect_id}/submit            POST   L     404   404   404   404   404   400   400   400
/api/evaluation/rectifications/{rect_id}/review            POST   L     404   404   400   404   404   404   400   400

# --- api dashboards
/api/dashboards/overview/                                  GET    L     404   404   ok    ok    ok    ok    ok    ok
/api/dashboards/drill/                                     GET    L     404   404   404   404   404   404   404   404
/api/dashboards/compare/                                   GET    L     404   404   ok    ok    ok    ok    ok    ok
/api/dashboards/screen/                                    GET    L     404   404   ok    ok    ok    ok    ok    ok
"""
ROWS = _parse(TABLE)

