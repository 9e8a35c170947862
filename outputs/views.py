from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from assignments.models import ReportingYear
from assignments.roles import VIEW_ALL


@login_required
@permission_required(VIEW_ALL, raise_exception=True)
def output_index(request):
    return render(request, "outputs/index.html", {"years": ReportingYear.objects.order_by("-year")})
