"""Which home page a user opens on, decided from the capabilities of their roles (core.home).

The first home whose test passes is the user's, so the broadest role comes
first: someone who is both an officer and a grid worker gets the officer's home.
A user with no staff role gets the member's home (their own records only).
"""

from django.utils.translation import gettext_lazy as _

from dangjian.accounts import roles
from dangjian.core import home, todo
from dangjian.core.scoping import has_capability, is_unrestricted, scope_paths


def is_officer(user) -> bool:
    return is_unrestricted(user) or (has_capability(user, roles.EDIT_ORGS) and has_capability(user, roles.ASSESS))


def is_secretary(user) -> bool:
    """Records the work of whole organisations (a branch, a community): not only linked grids."""
    return bool(scope_paths(user, roles.EDIT_WORK))


def is_reviewer(user) -> bool:
    return has_capability(user, roles.ASSESS)


def is_grid_worker(user) -> bool:
    return has_capability(user, roles.EDIT_WORK, through=("grid",))


def is_department(user) -> bool:
    return has_capability(user, roles.EDIT_WORK, through=("department",))


def declare() -> None:
    home.define_home("officer", _("Officer's desk"), is_officer, acts_as=(todo.OFFICER,))
    home.define_home("secretary", _("Secretary's desk"), is_secretary, acts_as=(todo.SECRETARY,))
    home.define_home("reviewer", _("Reviewer's desk"), is_reviewer, acts_as=(todo.OFFICER,))
    home.define_home("grid_worker", _("Grid worker's desk"), is_grid_worker, acts_as=(todo.GRID_WORKER,))
    home.define_home("department", _("Department's desk"), is_department, acts_as=(todo.DEPARTMENT,))
