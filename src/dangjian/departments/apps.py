from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "dangjian.departments"
    verbose_name = _("Functional departments")

    def ready(self):
        from dangjian.departments import metrics
        metrics.register_all()
        from dangjian.accounts.roles import Role
        from dangjian.core import references, roles, todo
        from dangjian.departments.selectors import open_on_appeal, posted_department_ids
        from dangjian.departments.todo import todo_items

        todo.register(todo_items)
        # A department's login reaches only the cases its department is summoned to.
        roles.narrow(Role.DEPARTMENT, through="department", ids=posted_department_ids)
        # The appeal's page lists its open summonses without importing this app.
        references.register_open("appeals.Appeal", "departments", open_on_appeal)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("governance", _("Departments"), "departments:list", capability=caps.VIEW_WORK,
                      through=("department",), order=25)
