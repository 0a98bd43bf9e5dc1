"""The server-error page: rendered without the database (the error may be the database)."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request):
    # No RequestContext: the context processors (the menu, the signed-in user) would query.
    html = loader.get_template("500.html").render({"platform": settings.DANGJIAN})
    return HttpResponseServerError(html)
