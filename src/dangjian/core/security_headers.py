"""Response headers every page gets: what the browser may do with the page.

Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY);
HSTS, nosniff and the referrer policy from Django's SecurityMiddleware.
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; Cache-Control: no-store unless a view chose otherwise.

    Pages, fragments and exports carry names, masked or revealed identifiers and
    tracking data: no browser or proxy cache keeps them. Static files are served
    before this middleware (WhiteNoise) and keep their long cache lifetimes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
