from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def roster_import(request):
    return render(request, "imports/roster_import.html")
