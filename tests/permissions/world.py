"""The fixture organisation every route is requested against: the demo, small.

The demo (`demo_org`) is the one place that keeps seeding every feature's
records as features are added, so a new route finds real objects to fill its
URL with. Its personas are the ones this test asks as (docs/demo.md): an
officer of the street, the community's secretary, branch A's plain member,
branch B's secretary (an outsider to branch A), a grid worker, a reviewer and an
auditor of the street, and the superuser.

URL arguments are filled with branch A's objects (or the community's, for the
records a community keeps: grids, appeals, partner units), so "branch B's
secretary" is always the outsider.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db.models import Model
from django.test import Client

from dangjian.accounts.models import ApiToken, User
from dangjian.accounts.services import api_token_create
from dangjian.orgs.demo_data.personas import persona_orgs
from dangjian.orgs.models import Member, Org

TODAY = dt.date(2026, 6, 30)

# Persona key: demo username.
PERSONAS = {
    "anonymous": None,
    "member": "member",
    "grid_worker": "grid",
    "reviewer": "reviewer",
    "auditor": "auditor",
    "secretary_b": "branch_b",
    "community": "community",
    "officer": "officer",
    "superuser": "admin",
}


@dataclass
class World:
    orgs: dict[str, Org]
    users: dict[str, User | None]
    sessions: dict[str, str | None]
    tokens: dict[str, str | None]
    objects: dict[str, Model | str] = field(default_factory=dict)

    def obj(self, name: str):
        if name not in self.objects:
            self.objects[name] = FINDERS[name](self)
        return self.objects[name]

    def client(self, persona: str) -> Client:
        """A fresh client per request: one that signs out (accounts:logout) must not sign out the next."""
        client = Client()
        if self.sessions[persona]:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client

    def api_headers(self, persona: str) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[persona]}"} if self.tokens[persona] else {}


def _pick(qs, what: str):
    found = qs.order_by("pk").first()
    if found is None:
        raise LookupError(f"the permission world has no {what}: extend tests/permissions/world.py")
    return found


def _in_a(model, w: World, what: str, path_field: str = "org__path"):
    return _pick(model.objects.filter(**{f"{path_field}__startswith": w.orgs["branch_a"].path}), what)


def build_world() -> World:
    call_command("demo_org", "--scale", "30", "--seed", "21", "--today", TODAY.isoformat(),
                 stdout=io.StringIO(), stderr=io.StringIO())
    orgs = persona_orgs()
    users = {key: (User.objects.get(username=name) if name else None) for key, name in PERSONAS.items()}
    sessions, tokens = {}, {}
    for key, user in users.items():
        sessions[key] = tokens[key] = None
        if user is not None:
            client = Client()
            client.force_login(user)
            if user.is_superuser:
                # Built outside any test, so tests/conftest.py's force_login patch is not in force:
                # the superuser's session passes the second factor here (issue 16, #9).
                from django_otp import DEVICE_ID_SESSION_KEY
                from django_otp.plugins.otp_totp.models import TOTPDevice

                device, _created = TOTPDevice.objects.get_or_create(user=user, name="permissions",
                                                                    defaults={"confirmed": True})
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
            sessions[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
            tokens[key] = api_token_create(user=user, name="permissions")[1]
    world = World(orgs=orgs, users=users, sessions=sessions, tokens=tokens)
    # Every object now, outside the requests' savepoints: one made during a rolled-back request would vanish.
    for name in FINDERS:
        world.obj(name)
    return world



def _member(w):
    # A plain member of branch A, not the member persona's own record (their own page is theirs to see).
    own = w.users["member"].member_id
    return _pick(Member.objects.filter(org__path__startswith=w.orgs["branch_a"].path).exclude(pk=own), "member of A")


def _grid(w):
    from dangjian.grids.models import Grid, GridStaff

    post = GridStaff.objects.filter(user=w.users["grid_worker"]).order_by("pk").first()
    if post is not None:
        return post.grid
    return _pick(Grid.objects.filter(org=w.orgs["community"]), "grid")


def _household(w):
    from dangjian.grids.models import Household

    return _pick(Household.objects.filter(grid=w.obj("grid")), "household in the grid")


def _appeal(w):
    from dangjian.appeals.models import Appeal

    return _pick(Appeal.objects.filter(grid=w.obj("grid")), "appeal in the grid").tracking_code


def _transfer(w):
    from dangjian.orgs.models import Transfer
    from dangjian.orgs.services import transfer_request

    found = Transfer.objects.filter(member__org=w.orgs["branch_a"], state="pending").order_by("pk").first()
    if found:
        return found
    return transfer_request(by=w.users["superuser"], member=w.obj("member2"), kind=Transfer.Kind.INTERNAL,
                            to_org=w.orgs["branch_b"], reason="permissions")


def _department(w):
    """A functional department of the street above the community (the demo seeds some)."""
    return _pick(_m("departments", "Department").objects.filter(
        org__path__in=[w.orgs["community"].path[:n] for n in range(4, len(w.orgs["community"].path), 4)]),
        "department")


def _summons(w):
    """A summons on the world's appeal (made here when the demo put none on it)."""
    import datetime as dt

    from django.utils import timezone

    summons = _m("departments", "Summons")
    appeal = _m("appeals", "Appeal").objects.get(tracking_code=w.obj("appeal"))
    found = summons.objects.filter(appeal=appeal).order_by("pk").first()
    if found:
        return found
    now = timezone.now()
    return summons.objects.create(department=w.obj("department"), appeal=appeal, request="permissions",
                                  summoned_at=now, due_at=now + dt.timedelta(days=2))


def _import_job(w):
    from dangjian.imports.models import ImportJob

    return ImportJob.objects.create(created_by=w.users["community"], file_name="roster.xlsx", file_sha256="0" * 64,
                                    scope_paths=[w.orgs["community"].path], state=ImportJob.State.FAILED)


def _op_job(w):
    """A failed roster export of the community secretary's (operations' job pages)."""
    from dangjian.operations.models import Job

    return Job.objects.create(kind="roster_export", created_by=w.users["community"], params={},
                              state=Job.State.FAILED)


def _survey_token(w):
    """A link to an open round of branch A's (the demo's rounds are over by the real today)."""
    from django.utils import timezone

    from dangjian.surveys.services import tokens_issue

    live = _m("surveys", "Round").objects.get(pk=w.obj("round").pk)
    live.pk, live.tokens_issued = None, 0
    live.opens_at, live.closes_at = timezone.now() - dt.timedelta(days=1), timezone.now() + dt.timedelta(days=30)
    live.save()
    return tokens_issue(by=w.users["superuser"], round=live, count=1)[0]


def _attachment(w):
    from django.core.files.base import ContentFile

    from dangjian.meetings.models import Attachment

    found = Attachment.objects.filter(meeting__org__path__startswith=w.orgs["branch_a"].path).order_by("pk").first()
    if found:
        return found
    att = Attachment(meeting=w.obj("meeting"), uploaded_by=w.users["community"], original_name="minutes.pdf",
                     content_type="application/pdf", size=16)
    att.file.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"), save=False)
    att.save()
    return att


def _above_a(w) -> list[str]:
    """Branch A's path and its ancestors': where the records issued to A by its superiors sit."""
    path = w.orgs["branch_a"].path
    return [path[:i] for i in range(4, len(path) + 1, 4)]


def _score_appeal(w):
    model = _m("assessment", "ScoreAppeal")
    found = model.objects.filter(assessment__org__path__startswith=w.orgs["branch_a"].path).order_by("pk").first()
    return found or model.objects.create(assessment=w.obj("assessment"), text="对扣分有异议。")


def _rectification(w):
    model = _m("evaluation", "Rectification")
    found = model.objects.filter(org__path__startswith=w.orgs["branch_a"].path).order_by("pk").first()
    return found or model.objects.create(org=w.orgs["branch_a"], title="整改组织生活", requirement="按期召开支部党员大会",
                                         deadline=TODAY, created_by=w.users["officer"])


def _weak_decision(w):
    """A weak-and-lax decision on branch A with its plan being rectified (made here when the demo named others)."""
    model = _m("evaluation", "WeakDecision")
    found = model.objects.filter(org=w.orgs["branch_a"], plan__state="rectifying").order_by("pk").first()
    if found:
        return found
    from dangjian.evaluation.weaklax_services import weak_decide

    return weak_decide(by=w.users["superuser"], org=w.orgs["branch_a"], year=TODAY.year, situations=["no_life"],
                       committee=w.orgs["street"], decided_on=TODAY, basis="街道党工委会议研究确定，组织生活不正常。",
                       leader=w.users["officer"], deadline=TODAY + dt.timedelta(days=90), measures="每月召开支委会",
                       override_reason="permissions", today=TODAY)


def _m(app: str, model: str):
    from django.apps import apps

    return apps.get_model(app, model)


def _spending(w: World):
    model = _m("funds", "Spending")
    found = model.objects.filter(org__path__startswith=w.orgs["branch_a"].path).order_by("pk").first()
    return found or model.objects.create(org=w.orgs["branch_a"], spent_on=TODAY, amount="320.00",
                                         purpose="党课学习资料印制", source="dues")


def _unqualified(w):
    """An appraisal of 不合格 in branch A, of a member on the roll (made here when the demo put none there)."""
    model = _m("meetings", "Appraisal")
    found = model.objects.filter(org=w.orgs["branch_a"], outcome="unqualified", member__status="active").order_by("pk")
    if found.exists():
        return found.first()
    member = w.obj("member")
    taken = set(model.objects.filter(member=member).values_list("year", flat=True))
    year = next(y for y in range(TODAY.year - 1, 1990, -1) if y not in taken)
    return model.objects.create(member=member, org=member.org, year=year, outcome="unqualified", reason="权限测试")


FINDERS = {
    "branch_a": lambda w: w.orgs["branch_a"],
    "unqualified": _unqualified,
    "community": lambda w: w.orgs["community"],
    "member": _member,
    "member2": lambda w: _pick(Member.objects.filter(org__path__startswith=w.orgs["branch_a"].path)
                               .exclude(pk__in=[w.obj("member").pk, w.users["member"].member_id]), "second member of A"),
    "token": lambda w: _pick(ApiToken.objects.filter(user=w.users["officer"]), "officer's token"),
    "transfer": _transfer,
    "import_job": _import_job,
    "op_job": _op_job,
    "due": lambda w: _in_a(_m("dues", "Due"), w, "due"),
    "paid_due": lambda w: _pick(_m("dues", "Due").objects.filter(org__path__startswith=w.orgs["branch_a"].path)
                                .exclude(payment=None), "paid due"),
    "remittance": lambda w: _in_a(_m("dues", "Remittance"), w, "remittance"),
    "reduction": lambda w: _pick(_m("dues", "Reduction").objects.filter(
        member__org__path__startswith=w.orgs["branch_a"].path, state="proposed"), "proposed dues reduction"),
    "applicant": lambda w: _in_a(_m("recruitment", "Applicant"), w, "applicant"),
    "step_code": lambda w: _pick(_m("recruitment", "Step").objects.filter(applicant=w.obj("applicant")), "step").code,
    "meeting": lambda w: _in_a(_m("meetings", "Meeting"), w, "meeting"),
    "attachment": _attachment,
    "grid": _grid,
    "household": _household,
    "resident": lambda w: _pick(_m("grids", "Resident").objects.filter(household=w.obj("household")), "resident"),
    "grid_post": lambda w: _pick(_m("grids", "GridStaff").objects.filter(grid=w.obj("grid")), "grid post"),
    "household_link": lambda w: _pick(_m("grids", "HouseholdLink").objects.filter(household__grid=w.obj("grid")),
                                      "household link"),
    "plan": lambda w: _pick(_m("grids", "ServicePlan").objects.filter(org__path__startswith=w.orgs["community"].path)
                            .exclude(org__path__startswith=w.orgs["branch_b"].path), "service plan"),
    "appeal": _appeal,
    "department": _department,
    "summons": _summons,
    # The same appeal as "appeal" (its tracking code, for the public and API routes); staff pages name it by id.
    "appeal_case": lambda w: _pick(_m("appeals", "Appeal").objects.filter(grid=w.obj("grid")), "appeal in the grid"),
    "appeal_category": lambda w: _m("appeals", "AppealCategory").objects.get(code="water"),
    "project": lambda w: _in_a(_m("projects", "Project"), w, "project"),
    "target": lambda w: _pick(_m("projects", "Target").objects.filter(project=w.obj("project")), "target"),
    "task": lambda w: _pick(_m("projects", "Task").objects.filter(project__org__path__startswith=w.orgs["branch_a"].path),
                            "task"),
    "duty_list": lambda w: _in_a(_m("duty", "DutyList"), w, "duty list"),
    "duty_item": lambda w: _pick(_m("duty", "DutyItem").objects.filter(duty_list=w.obj("duty_list")), "duty item"),
    "duty_template": lambda w: _pick(_m("duty", "DutyTemplate").objects.filter(org__path__in=_above_a(w)),
                                     "duty template"),
    "questionnaire": lambda w: _pick(_m("surveys", "Questionnaire").objects.filter(
        org__path__in=_above_a(w)), "questionnaire"),
    "round": lambda w: _in_a(_m("surveys", "Round"), w, "survey round"),
    "survey_token": _survey_token,
    "scheme": lambda w: _pick(_m("assessment", "Scheme").objects.filter(org__path__in=_above_a(w)), "assessment scheme"),
    "assessment": lambda w: _in_a(_m("assessment", "Assessment"), w, "assessment"),
    "score_appeal": _score_appeal,
    "resource": lambda w: _pick(_m("resources", "Resource").objects.filter(
        org__path__in=_above_a(w)), "resource"),
    "need": lambda w: _pick(_m("resources", "Need").objects.filter(
        org__path__in=_above_a(w)), "need"),
    "resource_project": lambda w: _pick(_m("resources", "Project").objects.filter(
        org__path__in=_above_a(w)), "resource project"),
    "partner": lambda w: _pick(_m("resources", "PartnerUnit").objects.filter(org=w.orgs["community"]), "partner"),
    "booking": lambda w: _pick(_m("resources", "Booking").objects.filter(
        org__path__in=_above_a(w)), "booking"),
    "spending": _spending,
    "activity": lambda w: _pick(_m("volunteering", "Activity").objects.filter(
        org__path__in=_above_a(w)), "activity"),
    "case": lambda w: _pick(_m("learning", "Case").objects.filter(org__path__startswith=w.orgs["community"].path)
                            .exclude(org__path__startswith=w.orgs["branch_b"].path), "case"),
    "reflection": lambda w: _in_a(_m("learning", "Reflection"), w, "reflection"),
    "term": lambda w: _in_a(_m("committees", "Term"), w, "committee term"),
    "period": lambda w: _pick(_m("evaluation", "Period").objects.exclude(computed_at=None), "computed period"),
    "indicator_code": lambda w: _pick(_m("evaluation", "Indicator").objects.all(), "indicator").code,
    "grading_scheme": lambda w: _pick(_m("evaluation", "GradingScheme").objects.all(), "grading scheme"),
    "alert": lambda w: _in_a(_m("evaluation", "Alert"), w, "warning"),
    "rectification": _rectification,
    "weak_decision": _weak_decision,
}
