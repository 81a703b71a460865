from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bapas.access import require_client_writer as _require_writer
from bapas.access import require_supervisor as _require_supervisor
from bapas.audit import audit_log, audit_record_opened
from bapas.concurrency import add_service_errors, save_from_form
from bapas.links import back_or, link, query_without
from bapas.printing import printed
from bapas.tasks import enqueue_after_commit, run_periodic_job

from . import card, imports, selectors, services, transfers
from .assignment import advice_for
from .filters import CaseloadFilter
from .forms import (
    AssignForm,
    ClientForm,
    CloseForm,
    ContactCorrectForm,
    ContactForm,
    DelegateForm,
    DeleteForm,
    DocumentForm,
    DocumentWithdrawForm,
    ImportUploadForm,
    RecidivismEventForm,
    ReopenForm,
    SupervisionForm,
    ViolationForm,
)
from .history import changes_for
from .models import ClientImport, ImportStatus, ViolationKind
from .panels import panels_for
from .tasks import run_client_import
from .timeline import source_labels, timeline_for

PAGE_SIZE = 25
# What a caseload row shows (the stage is worked out from the three stage columns): the full rows
# of the supervision, the client and the officer take longer to read and to load than the page's SQL.
CASELOAD_COLUMNS = (
    "client_id", "officer_id", "legal_basis", "end_date", "risk_level", "assessment_due",
    "last_contact_on", "next_contact_due", "suspended_on", "stage_override", "middle_stage_from", "final_stage_from",
    "client__full_name", "client__register_number",
    "officer__username", "officer__first_name", "officer__last_name",
)


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    caseload = CaseloadFilter(request.GET, queryset=selectors.caseload_for(request.user), user=request.user)
    page = Paginator(caseload.qs.only(*CASELOAD_COLUMNS), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _caseload_rows(page.object_list)
    context = {"filter": caseload, "page": page, "querystring": query_without(request.GET, "page"), "drill_downs": caseload.drill_downs()}
    template = "clients/_caseload_table.html" if request.htmx else "clients/list.html"
    return render(request, template, context)


@login_required
def client_index(request: HttpRequest) -> HttpResponse:
    """Buku klaper: the office's clients in alphabetical order, one letter at a time; a client whose
    supervisions have all ended is struck through, as the paper book strikes the name in red."""
    initials = selectors.index_initials(user=request.user)
    letters = [chr(code) for code in range(ord("A"), ord("Z") + 1)] + [selectors.OTHER_INITIAL]
    chosen = request.GET.get("huruf", "")
    if chosen not in letters:
        chosen = next((letter for letter in letters if initials.get(letter)), "A")
    page = Paginator(selectors.index_entries(user=request.user, initial=chosen), 100).get_page(request.GET.get("page"))
    context = {"letters": [(letter, initials.get(letter, 0)) for letter in letters], "chosen": chosen, "page": page,
               "querystring": urlencode({"huruf": chosen})}
    detail_url = link("clients:detail")
    for client in page.object_list:
        client.detail_url = detail_url(client.pk)
    return render(request, "clients/index.html", context)


def _caseload_rows(supervisions) -> list:
    """Give each row its link, its dates as shown and its overdue flags, worked out here once:
    per row, a {% url %}, the |date filter and dates formatted as text to compare them cost the
    table more than its SQL."""
    today = timezone.localdate()
    detail_url = link("clients:detail")
    rows = list(supervisions)
    for supervision in rows:
        supervision.detail_url = detail_url(supervision.client_id)
        supervision.end_date_shown = _day_month_year(supervision.end_date)
        supervision.last_contact_shown = _day_month_year(supervision.last_contact_on)
        supervision.next_contact_shown = _day_month_year(supervision.next_contact_due)
        supervision.assessment_due_shown = _day_month_year(supervision.assessment_due)
        # A supervision with no next contact planned is flagged as well, unless its release is suspended
        # (the client is in custody until the decision: no contact falls due).
        no_contact_planned = supervision.next_contact_due is None and supervision.suspended_on is None
        supervision.contact_overdue = no_contact_planned or (supervision.next_contact_due is not None
                                                             and supervision.next_contact_due < today)
        supervision.assessment_overdue = supervision.assessment_due is not None and supervision.assessment_due < today
    return rows


def _day_month_year(day) -> str:
    """The same text as |date:"d-m-Y" (digits only, so no language changes it)."""
    return f"{day:%d-%m-%Y}" if day else ""


@login_required
@require_http_methods(["GET", "POST"])
def client_create(request: HttpRequest) -> HttpResponse:
    """Intake: register the client and open their first supervision on one page."""
    user = request.user
    _require_writer(user)
    client_form = ClientForm(request.POST or None, office=user.office, prefix="client")
    supervision_form = SupervisionForm(request.POST or None, office=user.office, user=user, prefix="supervision")
    if request.method == "POST":
        client_ok = client_form.is_valid()
        supervision_form.instance.client = client_form.instance
        supervision_ok = supervision_form.is_valid()
        if client_form.registered_elsewhere:
            audit_log(
                actor=user, action="client.intake_registered_elsewhere", office=user.office,
                detail={"nik_suffix": client_form.data.get("client-nik", "")[-4:]},
            )
        if client_ok and supervision_ok:
            try:
                client = services.client_register(
                    by=user, client=client_form.instance, supervision=supervision_form.instance
                )
            except ValidationError as error:
                add_service_errors(supervision_form, error)
            else:
                messages.success(request, _("Klien %(name)s terdaftar.") % {"name": client.full_name})
                return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/create.html", {"client_form": client_form, "supervision_form": supervision_form})


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(user=request.user, pk=pk, with_pending_transfer=True)
    audit_log(actor=request.user, action="client.view", obj=client)
    context = {
        "client": client,
        "nik": client.nik_for(request.user),
        "panels": panels_for(request, client),
        "can_write": request.user.writes_client_files,
    }
    return render(request, "clients/detail.html", context)


@login_required
def client_history(request: HttpRequest, pk: int) -> HttpResponse:
    """What was changed in the client's file: each change's values before and after, who, when, why."""
    client = selectors.client_get(user=request.user, pk=pk)
    audit_log(actor=request.user, action="client.view_history", obj=client)
    changes = changes_for(request.user, client, selectors.client_supervision_ids(user=request.user, client=client))
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    return render(request, "clients/history.html", {"client": client, "page": page, "querystring": ""})


@login_required
def client_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything that happened to the client, newest first, from every app."""
    client = selectors.client_get(user=request.user, pk=pk)
    audit_log(actor=request.user, action="client.view_timeline", obj=client)
    kinds = set(request.GET.getlist("kind")) or None
    entries = timeline_for(request, client, kinds)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {"client": client, "page": page, "sources": source_labels(), "kinds": kinds or set(),
               "querystring": query_without(request.GET, "page")}
    return render(request, "clients/timeline.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(user=request.user, pk=pk)
    _require_writer(request.user)
    form = ClientForm(request.POST or None, instance=client, office=client.office)
    audit_record_opened(request, client, client_id=client.pk)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_from_form(form, lambda: services.client_update(
            by=request.user, client=form.instance, expected_version=form.cleaned_data["expected_version"]))
        if status is None:
            messages.success(request, _("Data klien disimpan."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/edit.html", {"client": client, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def client_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a client registered by mistake, for a Kasi, once nothing else is recorded about them;
    the page lists what is, if anything, instead of the form."""
    client = selectors.client_get(user=request.user, pk=pk)
    _require_supervisor(request.user)
    return deletion_page(
        request, client, client_id=client.pk, example=_("Misalnya: terdaftar dua kali (NIK salah ketik), salah orang."),
        delete=lambda version, reason: services.client_delete(by=request.user, client=client, expected_version=version, reason=reason),
        done=_("Klien %(name)s (%(number)s) dihapus.") % {"name": client.full_name, "number": client.register_number},
        done_url=reverse("clients:list"), template="clients/client_delete.html",
        context={"client": client, "kept": services.client_records_kept(client),
                 "supervisions": client.supervisions.order_by("-start_date")})


def deletion_page(request: HttpRequest, record, *, client_id: int, example: str, delete, done: str, done_url: str,
                   template: str, context: dict) -> HttpResponse:
    """A page that deletes a record entered by mistake: it shows the record (its opening noted as a view
    of the client's file) and asks why; a valid form runs `delete(expected_version, reason)`, the service
    that has the rules, and goes to `done_url` saying `done`. `example` shows under the reason."""
    form = DeleteForm(request.POST or None, initial={"expected_version": record.version}, example=example)
    audit_record_opened(request, record, client_id=client_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_from_form(form, lambda: delete(form.cleaned_data["expected_version"], form.cleaned_data["reason"]))
        if status is None:
            messages.success(request, done)
            return redirect(done_url)
    return render(request, template, {**context, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def supervision_create(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(user=request.user, pk=pk)
    _require_writer(request.user)
    # A file that came from another office: the supervision goes on under the decree it came with.
    continued = transfers.continued_from(client=client, office=client.office)
    initial = transfers.continued_initial(continued, client.office) if continued and request.method == "GET" else None
    form = SupervisionForm(request.POST or None, office=client.office, user=request.user, initial=initial)
    form.instance.client = client
    if request.method == "POST" and form.is_valid():
        if save_from_form(form, lambda: services.supervision_open(by=request.user, supervision=form.instance)) is None:
            messages.success(request, _("Pembimbingan baru dibuka."))
            return redirect("clients:detail", pk=client.pk)
    # A client has one supervision running at a time: say so before the user fills the form in.
    running = selectors.running_supervision(user=request.user, client=client)
    context = {"client": client, "form": form, "running": running, "running_refusal": services.running_refusal(running),
               "continued": continued}
    return render(request, "clients/supervision_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def supervision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = selectors.supervision_get(user=request.user, pk=pk)
    _require_writer(request.user)
    form = SupervisionForm(request.POST or None, instance=supervision, office=supervision.office)
    audit_record_opened(request, supervision, client_id=supervision.client_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_from_form(form, lambda: services.supervision_update(
            by=request.user, supervision=form.instance, expected_version=form.cleaned_data["expected_version"]))
        if status is None:
            messages.success(request, _("Pembimbingan disimpan."))
            return redirect("clients:detail", pk=supervision.client_id)
    context = {"client": supervision.client, "supervision": supervision, "form": form}
    return render(request, "clients/supervision_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def supervision_assign(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = selectors.supervision_get(user=request.user, pk=pk)
    _require_supervisor(request.user)
    advice = advice_for(supervision)
    initial = {"officer": advice["suggested"].pk} if advice and advice["suggested"] else {}
    form = AssignForm(request.POST or None, supervision=supervision, initial=initial)
    audit_record_opened(request, supervision, client_id=supervision.client_id)
    if request.method == "POST" and form.is_valid():
        services.supervision_assign(
            by=request.user, supervision=supervision, officer=form.cleaned_data["officer"], reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Pembimbingan dialihkan kepada %(pk)s.") % {"pk": form.cleaned_data["officer"]})
        return redirect("clients:detail", pk=supervision.client_id)
    context = {"client": supervision.client, "supervision": supervision, "form": form, "advice": advice}
    return render(request, "clients/supervision_assign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def supervision_delegate(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = selectors.supervision_get(user=request.user, pk=pk)
    _require_supervisor(request.user)
    form = DelegateForm(request.POST or None, supervision=supervision)
    audit_record_opened(request, supervision, client_id=supervision.client_id)
    if request.method == "POST" and form.is_valid():
        services.supervision_delegate(
            by=request.user, supervision=supervision, delegate=form.cleaned_data["delegate"], until=form.cleaned_data["until"]
        )
        messages.success(request, _("Delegasi disimpan."))
        return redirect("clients:detail", pk=supervision.client_id)
    context = {"client": supervision.client, "supervision": supervision, "form": form}
    return render(request, "clients/supervision_delegate.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def supervision_close(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = selectors.supervision_get(user=request.user, pk=pk)
    _require_supervisor(request.user)
    form = CloseForm(request.POST or None)
    audit_record_opened(request, supervision, client_id=supervision.client_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_close(
                by=request.user, supervision=supervision, closed_on=form.cleaned_data["closed_on"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pembimbingan diakhiri."))
            return redirect("clients:detail", pk=supervision.client_id)
    context = {"client": supervision.client, "supervision": supervision, "form": form, "reopen_days": services.REOPEN_DAYS}
    return render(request, "clients/supervision_close.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def supervision_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopens a supervision ended by mistake, with a reason, after asking; the service has the rules."""
    supervision = selectors.supervision_get(user=request.user, pk=pk)
    _require_supervisor(request.user)
    form = ReopenForm(request.POST or None, initial={"expected_version": supervision.version})
    audit_record_opened(request, supervision, client_id=supervision.client_id)
    back = reverse("clients:detail", args=[supervision.client_id]) + "#pembimbingan"
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_from_form(form, lambda: services.supervision_reopen(
            by=request.user, supervision=supervision, expected_version=form.cleaned_data["expected_version"],
            reason=form.cleaned_data["reason"]))
        if status is None:
            messages.success(request, _("Pembimbingan dibuka kembali."))
            return redirect(back)
    context = {"client": supervision.client, "supervision": supervision, "form": form, "cancel_url": back,
               "reopen_days": services.REOPEN_DAYS}
    return render(request, "clients/supervision_reopen.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = selectors.supervision_get(user=request.user, pk=pk)
    _require_writer(request.user)
    form = ContactForm(request.POST or None, supervision=supervision)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_log(by=request.user, contact=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Kontak dicatat."))
            return redirect(back_or(request, reverse("clients:detail", args=[supervision.client_id]) + "#riwayat"))
    # Opened from "Hari ini": saving or cancelling goes back there.
    cancel_url = back_or(request, reverse("clients:detail", args=[supervision.client_id]))
    return render(request, "clients/contact_form.html",
                  {"client": supervision.client, "supervision": supervision, "form": form, "cancel_url": cancel_url})


@login_required
@require_http_methods(["GET", "POST"])
def contact_correct(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    _require_writer(request.user)
    supervision = contact.supervision
    form = ContactCorrectForm(request.POST or None, instance=contact)
    audit_record_opened(request, contact, client_id=supervision.client_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_from_form(form, lambda: services.contact_correct(
            by=request.user, contact=form.instance, expected_version=form.cleaned_data["expected_version"],
            reason=form.cleaned_data["reason"], changed=[f for f in form.changed_data if f != "reason"]))
        if status is None:
            messages.success(request, _("Catatan kontak dikoreksi."))
            return redirect(reverse("clients:detail", args=[supervision.client_id]) + "#riwayat")
    context = {"client": supervision.client, "supervision": supervision, "form": form, "contact": contact}
    return render(request, "clients/contact_correct.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a contact logged by mistake, after showing it and asking why."""
    contact = selectors.contact_get(user=request.user, pk=pk)
    _require_writer(request.user)
    supervision = contact.supervision
    return deletion_page(
        request, contact, client_id=supervision.client_id,
        example=_("Misalnya: dicatat pada klien yang salah, kontak tidak pernah terjadi."),
        delete=lambda version, reason: services.contact_delete(by=request.user, contact=contact, expected_version=version, reason=reason),
        done=_("Catatan kontak dihapus."), done_url=reverse("clients:detail", args=[supervision.client_id]) + "#riwayat",
        template="clients/contact_delete.html",
        context={"client": supervision.client, "supervision": supervision, "contact": contact,
                 "cancel_url": reverse("clients:contact_correct", args=[contact.pk])})


@login_required
@require_http_methods(["GET", "POST"])
def violation_create(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = selectors.supervision_get(user=request.user, pk=pk)
    _require_writer(request.user)
    form = ViolationForm(request.POST or None, supervision=supervision)
    if request.method == "POST" and form.is_valid():
        violation = services.violation_record(by=request.user, violation=form.instance)
        if violation.kind == ViolationKind.NEW_OFFENCE:
            # Supervisors hear of a new offence now rather than at the next hourly sweep.
            enqueue_after_commit(run_periodic_job, "bapas.sweep_reminders")
        messages.success(request, _("Pelanggaran dicatat."))
        return redirect(back_or(request, reverse("clients:detail", args=[supervision.client_id]) + "#pelanggaran"))
    # Opened from "Hari ini" (a wajib-lapor ground): saving or cancelling goes back there.
    cancel_url = back_or(request, reverse("clients:detail", args=[supervision.client_id]))
    return render(request, "clients/violation_form.html",
                  {"client": supervision.client, "supervision": supervision, "form": form, "cancel_url": cancel_url})


@login_required
@require_http_methods(["GET", "POST"])
def violation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    violation = selectors.violation_get(user=request.user, pk=pk)
    _require_writer(request.user)
    form = ViolationForm(request.POST or None, instance=violation)
    audit_record_opened(request, violation, client_id=violation.supervision.client_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_from_form(form, lambda: services.violation_update(
            by=request.user, violation=form.instance, expected_version=form.cleaned_data["expected_version"]))
        if status is None:
            messages.success(request, _("Pelanggaran disimpan."))
            return redirect(reverse("clients:detail", kwargs={"pk": violation.supervision.client_id}) + "#pelanggaran")
    context = {"client": violation.supervision.client, "supervision": violation.supervision, "violation": violation, "form": form}
    return render(request, "clients/violation_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def violation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a violation recorded by mistake, after showing it and asking why."""
    violation = selectors.violation_get(user=request.user, pk=pk)
    _require_writer(request.user)
    supervision = violation.supervision
    return deletion_page(
        request, violation, client_id=supervision.client_id,
        example=_("Misalnya: dicatat pada klien yang salah, pelanggaran tidak terjadi."),
        delete=lambda version, reason: services.violation_delete(by=request.user, violation=violation, expected_version=version,
                                                                 reason=reason),
        done=_("Pelanggaran dihapus."), done_url=reverse("clients:detail", args=[supervision.client_id]) + "#pelanggaran",
        template="clients/violation_delete.html",
        context={"client": supervision.client, "supervision": supervision, "violation": violation,
                 # One a revocation or a recidivism event rests on is refused: said before the form is filled in.
                 "refusal": services.violation_delete_refusal(violation) if request.method == "GET" else "",
                 "cancel_url": reverse("clients:violation_edit", args=[violation.pk])})


def _recidivism_url(client_id: int) -> str:
    return reverse("clients:detail", kwargs={"pk": client_id}) + "#residivisme"


@login_required
@require_http_methods(["GET", "POST"])
def recidivism_create(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(user=request.user, pk=pk)
    _require_writer(request.user)
    form = RecidivismEventForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.recidivism_record(by=request.user, event=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if event.violation_id:
                # As with a new offence recorded directly: supervisors hear of it now.
                enqueue_after_commit(run_periodic_job, "bapas.sweep_reminders")
                messages.success(request, _("Peristiwa residivisme dicatat; pelanggaran tindak pidana baru dibuka."))
            else:
                messages.success(request, _("Peristiwa residivisme dicatat."))
            return redirect(_recidivism_url(client.pk))
    return render(request, "clients/recidivism_form.html", {"client": client, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def recidivism_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.recidivism_event_get(user=request.user, pk=pk)
    _require_writer(request.user)
    form = RecidivismEventForm(request.POST or None, instance=event)
    audit_record_opened(request, event, client_id=event.client_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_from_form(form, lambda: services.recidivism_update(
            by=request.user, event=form.instance, expected_version=form.cleaned_data["expected_version"]))
        if status is None:
            messages.success(request, _("Peristiwa residivisme disimpan."))
            return redirect(_recidivism_url(event.client_id))
    context = {"client": event.client, "event": event, "form": form}
    return render(request, "clients/recidivism_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def recidivism_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a recidivism event recorded by mistake, after showing it and asking why."""
    event = selectors.recidivism_event_get(user=request.user, pk=pk)
    _require_writer(request.user)
    return deletion_page(
        request, event, client_id=event.client_id,
        example=_("Misalnya: dicatat pada klien yang salah (nama yang sama), peristiwa tidak terjadi."),
        delete=lambda version, reason: services.recidivism_delete(by=request.user, event=event, expected_version=version, reason=reason),
        done=_("Peristiwa residivisme dihapus."), done_url=_recidivism_url(event.client_id), template="clients/recidivism_delete.html",
        context={"client": event.client, "event": event, "cancel_url": reverse("clients:recidivism_edit", args=[event.pk]),
                 "refusal": services.recidivism_delete_refusal(event) if request.method == "GET" else ""})


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(user=request.user, pk=pk)
    _require_writer(request.user)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.document_attach(by=request.user, client=client, kind=form.cleaned_data["kind"], upload=form.cleaned_data["upload"])
        messages.success(request, _("Dokumen diunggah."))
        return redirect(reverse("clients:detail", kwargs={"pk": client.pk}) + "#dokumen")
    return render(request, "clients/document_form.html", {"client": client, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def document_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Takes a document uploaded by mistake out of the client's file, with a reason, after asking."""
    document = selectors.document_get(user=request.user, pk=pk)
    _require_writer(request.user)
    form = DocumentWithdrawForm(request.POST or None)
    audit_record_opened(request, document, client_id=document.client_id)
    back = reverse("clients:detail", kwargs={"pk": document.client_id}) + "#dokumen"
    if request.method == "POST" and form.is_valid():
        try:
            services.document_withdraw(by=request.user, document=document, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Dokumen %(name)s ditarik dari berkas klien.") % {"name": document.original_name})
            return redirect(back)
    return render(request, "clients/document_withdraw.html", {"client": document.client, "document": document, "form": form,
                                                             "cancel_url": back, "kept_days": settings.WITHDRAWN_DOCUMENT_DAYS})


@login_required
def client_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The kartu bimbingan as a one-page PDF (or, with ?format=html, a printable page)."""
    client = selectors.client_get(user=request.user, pk=pk)
    supervision = selectors.running_supervision(user=request.user, client=client)
    photo = selectors.client_documents(client=client).filter(kind="photo").first()
    photo_bytes = None
    if photo is not None:
        with photo.file.open("rb") as handle:
            photo_bytes = handle.read()
    kwargs = {"client": client, "supervision": supervision, "photo_bytes": photo_bytes,
              "photo_type": photo.content_type if photo else None}
    audit_log(actor=request.user, action="client.card_print", obj=client)
    return printed(request, card.card_html(**kwargs), f"kartu-bimbingan-{client.register_number}.pdf")


@login_required
def client_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """The kontrak bimbingan of the client's running supervision, as a PDF (or, with ?format=html, a page)."""
    client = selectors.client_get(user=request.user, pk=pk)
    supervision = selectors.running_supervision(user=request.user, client=client)
    if supervision is None:
        messages.warning(request,
                         _("Klien ini tidak sedang dalam pembimbingan; kontrak bimbingan dibuat untuk pembimbingan yang berjalan."))
        return redirect("clients:detail", pk=client.pk)
    html = card.agreement_html(client=client, supervision=supervision, nik=client.nik_for(request.user))
    audit_log(actor=request.user, action="client.agreement_print", obj=client)
    return printed(request, html, f"kontrak-bimbingan-{client.register_number}.pdf")


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    audit_log(actor=request.user, action="document.view", obj=document, office=request.user.office,
              detail={"client": document.client_id})
    response = FileResponse(document.file.open("rb"), content_type=document.content_type,
                            as_attachment=not document.content_type.startswith("image/"),
                            filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- importing existing clients

def _import_get(user, pk) -> ClientImport:
    return get_object_or_404(ClientImport.objects.filter(office_id=user.office_id).select_related("created_by"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """A supervisor uploads the office's existing clients; the rows are checked in the background."""
    _require_supervisor(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        batch = ClientImport.objects.create(office=request.user.office, created_by=request.user, file=upload,
                                            original_name=upload.name[:200])
        enqueue_after_commit(run_client_import, batch.pk)
        return redirect("clients:import_detail", pk=batch.pk)
    recent = ClientImport.objects.filter(office_id=request.user.office_id).select_related("created_by")[:20]
    return render(request, "clients/import_start.html", {"form": form, "recent": recent, "max_rows": imports.MAX_ROWS})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request.user)
    response = HttpResponse(imports.template_xlsx(request.user.office, request.user),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="templat-impor-klien.xlsx"'
    return response


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The check's result, the import's progress and outcome; htmx polls while a step runs."""
    _require_supervisor(request.user)
    batch = _import_get(request.user, pk)
    template = "clients/_import_status.html" if request.htmx else "clients/import_detail.html"
    return render(request, template, {"batch": batch})


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Imports the rows that passed the check; only a checked batch, and only once."""
    _require_supervisor(request.user)
    batch = _import_get(request.user, pk)
    started = ClientImport.objects.filter(pk=batch.pk, status=ImportStatus.CHECKED, valid_rows__gt=0).update(
        status=ImportStatus.IMPORTING, progress=0, done_rows=0, imported_rows=0, error_rows=0, errors=[],
        requested_at=timezone.now())
    if started:
        enqueue_after_commit(run_client_import, batch.pk)
    else:
        messages.warning(request, _("Impor ini tidak menunggu konfirmasi."))
    return redirect("clients:import_detail", pk=batch.pk)
