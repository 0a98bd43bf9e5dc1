from django.conf import settings


def platform(request):
    return {"platform": settings.DANGJIAN}
