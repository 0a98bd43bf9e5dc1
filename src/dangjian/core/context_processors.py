from django.conf import settings

from dangjian.core.menu import menu_for


def platform(request):
    # The menu is built only when a template shows it (a callable is called by the template).
    return {"platform": settings.DANGJIAN, "menu": lambda: menu_for(getattr(request, "user", None))}
