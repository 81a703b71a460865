"""The daftar lapor diri (the wajib-lapor desk): clients who come to the office to report are found
by name or register number and marked present in one click, and the day's register lists who came.
It replaces the paper book a PK or the front desk signs each client into."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bapas.access import require_client_writer
from bapas.days import asked_day

from . import selectors, services

MIN_QUERY = 2


@login_required
@require_http_methods(["GET", "POST"])
def reporting_desk(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _record(request)
    day = asked_day(request)
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()[:100]
    candidates, expected, expected_count = [], [], 0
    if day == today and len(query) >= MIN_QUERY:
        candidates = selectors.reporting_candidates(user=request.user, query=query, day=day)
    elif day == today and request.user.writes_client_files:
        expected, expected_count = selectors.reporting_expected(user=request.user, day=day)
    page = Paginator(selectors.office_reports_on(user=request.user, day=day), 50).get_page(request.GET.get("page"))
    context = {"day": day, "today": today, "is_today": day == today, "query": query, "min_query": MIN_QUERY,
               "candidates": candidates, "expected": expected, "expected_count": expected_count, "page": page,
               "querystring": urlencode({"tanggal": day.isoformat()}),
               "yesterday": day - datetime.timedelta(days=1), "tomorrow": day + datetime.timedelta(days=1)}
    return render(request, "clients/reporting_desk.html", context)


def _record(request: HttpRequest) -> HttpResponse:
    """Marks one client present: their supervision is found through the user's scope (404 outside it)."""
    try:
        pk = int(request.POST.get("supervision", ""))
    except ValueError:
        pk = 0
    supervision = selectors.supervision_get(user=request.user, pk=pk)
    require_client_writer(request.user)
    try:
        contact = services.office_report_log(by=request.user, supervision=supervision, notes=request.POST.get("notes", "")[:500])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("clients:reporting_desk") + "?" + urlencode({"q": request.POST.get("q", "")}))
    messages.success(request, _("%(name)s hadir wajib lapor pukul %(time)s.") % {
        "name": supervision.client.full_name, "time": timezone.localtime(contact.occurred_at).strftime("%H:%M")})
    return redirect("clients:reporting_desk")
