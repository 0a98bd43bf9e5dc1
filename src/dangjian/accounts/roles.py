"""Roles a user holds on an org node, and what each role may do there.

A grant on a node covers that node's whole subtree. Capabilities are plain
strings so that feature apps can declare and check their own; the table
below is declared to `dangjian.core.roles` when the app is ready, and a
feature app adds to it (or narrows a role, as grids does for grid workers)
the same way.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.audit.capabilities import VIEW_AUDIT


class Role(models.TextChoices):
    ORG_OFFICER = "org_officer", _("Organisation officer")
    SECRETARY = "secretary", _("Secretary")
    PARTY_WORKER = "party_worker", _("Party affairs worker")
    GRID_WORKER = "grid_worker", _("Grid worker")
    REVIEWER = "reviewer", _("Reviewer")
    AUDITOR = "auditor", _("Auditor")
    MEMBER = "member", _("Member")
    # A functional department's login (departments app): narrowed to the cases its department is summoned to.
    DEPARTMENT = "department", _("Functional department")


# Capability names: "<area>.<verb>".
VIEW_ROSTER = "roster.view"
EDIT_ROSTER = "roster.edit"
REVEAL = "roster.reveal"
EDIT_ORGS = "orgs.edit"
TRANSFER = "roster.transfer"
IMPORT_ROSTER = "roster.import"
EXPORT_ROSTER = "roster.export"
VIEW_WORK = "work.view"  # organisational life, grids, projects: read
EDIT_WORK = "work.edit"  # ... and record
ASSESS = "work.assess"  # superior assessment, acceptance, approval

_STAFF = {
    VIEW_ROSTER, EDIT_ROSTER, REVEAL, TRANSFER, IMPORT_ROSTER, EXPORT_ROSTER,
    VIEW_WORK, EDIT_WORK,
}

BASE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ORG_OFFICER: frozenset(_STAFF | {EDIT_ORGS, VIEW_AUDIT, ASSESS}),
    Role.SECRETARY: frozenset(_STAFF),
    Role.PARTY_WORKER: frozenset(_STAFF - {REVEAL, TRANSFER}),
    Role.GRID_WORKER: frozenset({VIEW_WORK, EDIT_WORK}),
    Role.REVIEWER: frozenset({VIEW_ROSTER, VIEW_WORK, ASSESS}),
    Role.AUDITOR: frozenset({VIEW_ROSTER, VIEW_AUDIT, VIEW_WORK}),
    Role.MEMBER: frozenset(),
    Role.DEPARTMENT: frozenset({VIEW_WORK, EDIT_WORK}),
}


def declare() -> None:
    from dangjian.core import roles

    for role, caps in BASE_CAPABILITIES.items():
        roles.grant(role, *caps)
