"""The pages of moving a client's file between offices (clients.transfers): the office's requests,
asked by it or of it; asking for a file; and one page per request, where the holding office's
Kasi/Kasubsi decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bapas.access import require_supervisor
from bapas.audit import audit_record_opened
from bapas.concurrency import save_from_form
from bapas.links import query_without
from bapas.models import OFFICE_WIDE_ROLES
from bapas.tasks import enqueue_after_commit, run_periodic_job

from . import selectors, transfers
from .forms import TransferDecideForm, TransferRequestForm
from .models import TransferStatus


@login_required
@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    """The office's transfer requests, those waiting for an answer first."""
    if request.user.role not in OFFICE_WIDE_ROLES:
        raise PermissionDenied(_("Pemindahan klien dikelola Kasi/Kasubsi, dan dapat dilihat Kabapas serta admin kantor."))
    rows = selectors.transfers_of(request.user).select_related("client", "from_office", "to_office", "requested_by")
    status = request.GET.get("status", "")
    if status in TransferStatus.values:
        rows = rows.filter(status=status)
    waiting_first = Case(When(status=TransferStatus.REQUESTED, then=Value(0)), default=Value(1), output_field=IntegerField())
    page = Paginator(rows.order_by(waiting_first, "-requested_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(request, "clients/transfer_list.html", {
        "page": page, "status": status, "statuses": TransferStatus.choices, "can_request": request.user.is_supervisor,
        "querystring": query_without(request.GET, "page")})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_request(request: HttpRequest) -> HttpResponse:
    """Asks the office holding a client's file (found by NIK) to move it here."""
    require_supervisor(request.user)
    form = TransferRequestForm(request.POST or None, initial={"nik": request.GET.get("nik", "")[:16]})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        status = save_from_form(form, lambda: transfers.transfer_request(
            by=request.user, nik=data["nik"], register_number=data["register_number"], reason=data["reason"]))
        if status is None:
            # The holding office's Kasi hears of it now rather than at the next hourly sweep.
            enqueue_after_commit(run_periodic_job, "bapas.sweep_reminders")
            messages.success(request, _("Permintaan pemindahan dikirim ke %(office)s.") % {"office": form.saved.from_office.name})
            return redirect("clients:transfer_detail", pk=form.saved.pk)
    return render(request, "clients/transfer_request.html", {"form": form, "cancel_url": reverse("clients:transfers")}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request. The holding office sees whose file is asked for, and its Kasi/Kasubsi decides; the
    asking office sees the answer, and once accepted, the client's file."""
    user = request.user
    transfer = selectors.transfer_get(user=user, pk=pk)
    holder = transfer.from_office_id == user.office_id
    deciding = holder and user.is_supervisor and transfer.status == TransferStatus.REQUESTED
    if request.method == "POST" and not deciding:
        raise PermissionDenied(_("Hanya Kasi/Kasubsi kantor yang memegang berkas klien yang memutuskan permintaan ini."))
    form = TransferDecideForm(request.POST or None) if deciding else None
    status = 200
    if form is not None and request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["accept"]
        status = save_from_form(form, lambda: transfers.transfer_decide(by=user, transfer=transfer, accept=accept,
                                                                           note=form.cleaned_data["note"]))
        if status is None:
            done = _("Berkas klien dipindahkan ke %(office)s.") if accept else _("Permintaan pemindahan ke %(office)s ditolak.")
            messages.success(request, done % {"office": transfer.to_office.name})
            return redirect("clients:transfers")
    # Whose file it is shows to the office holding it, and to the asking one once it holds it: a view of that file.
    shows_client = holder or transfer.status == TransferStatus.ACCEPTED
    if shows_client:
        audit_record_opened(request, transfer, client_id=transfer.client_id)
    context = {"transfer": transfer, "holder": holder, "form": form, "shows_client": shows_client,
               "cancel_url": reverse("clients:transfers"), "can_withdraw": _may_withdraw(user, transfer)}
    if deciding:
        context["running"] = selectors.running_supervision(user=user, client=transfer.client)
        context["refusal"] = transfers.acceptance_refusal(transfer)
    return render(request, "clients/transfer_detail.html", context, status=status)


def _may_withdraw(user, transfer) -> bool:
    return transfer.to_office_id == user.office_id and user.is_supervisor and transfer.status == TransferStatus.REQUESTED


@login_required
@require_POST
def transfer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The asking office's Kasi/Kasubsi takes back a request still waiting, after being asked."""
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    if not _may_withdraw(request.user, transfer):
        raise PermissionDenied(_("Hanya Kasi/Kasubsi kantor yang mengajukan yang dapat menarik permintaan yang masih menunggu."))
    try:
        transfers.transfer_withdraw(by=request.user, transfer=transfer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("clients:transfer_detail", pk=transfer.pk)
    messages.success(request, _("Permintaan pemindahan ditarik."))
    return redirect("clients:transfers")
