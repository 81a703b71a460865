"""The Litmas register and each Litmas's page: request, writing, submission, the TPP's decision, print."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bapas.access import require_client_writer, require_supervisor
from bapas.audit import audit_log, audit_record_opened
from bapas.concurrency import save_from_form
from bapas.csv_export import applied_filters, csv_response
from bapas.links import link, query_without, safe_next
from bapas.models import OFFICE_WIDE_ROLES, User
from bapas.printing import printed
from bapas.tpp import hearing_initial
from clients.forms import caseworkers_of
from clients.selectors import client_get, client_supervisions, clients_visible_to

from . import litmas, selectors
from .filters import LitmasFilter
from .forms import LitmasCancelForm, LitmasDecisionForm, LitmasRequestForm, LitmasSectionsForm
from .models import LITMAS_SECTIONS, Litmas, LitmasKind, LitmasStatus

PER_PAGE = 25
# What the register and its CSV show besides what every list of Litmas does.
REGISTER_COLUMNS = (*selectors.LITMAS_LISTED, "client", "request_letter", "client__full_name", "client__register_number")


@login_required
def litmas_list(request: HttpRequest) -> HttpResponse:
    """The office's Litmas register (a PK's: the ones they write and their clients'), newest number first."""
    register = LitmasFilter(request.GET, office_id=request.user.office_id,
                            queryset=selectors.litmas_visible_to(request.user).select_related("client", "officer")
                            .only(*REGISTER_COLUMNS))
    rows = (register.qs if register.is_valid() else register.queryset.none()).order_by("-year", "-number")
    if request.GET.get("format") == "csv" and register.is_valid():
        return _register_csv(request, register, rows)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _register_rows(page.object_list)
    context = {"filter": register, "page": page, "querystring": query_without(request.GET, "page"),
               "office_wide": request.user.role in OFFICE_WIDE_ROLES}
    return render(request, "assessments/litmas_list.html", context)


def _register_rows(rows) -> list:
    """Each row's link, kind, deadline as shown and overdue flag, worked out here once: per row, a
    {% url %}, get_kind_display and |date cost the page more than its SQL."""
    today = timezone.localdate()
    detail_url = link("litmas:detail")
    kinds = dict(LitmasKind.choices)
    rows = list(rows)
    for row in rows:
        row.detail_url = detail_url(row.pk)
        row.kind_shown = kinds[row.kind]
        row.due_shown = f"{row.due_on:%d-%m-%Y}"
        row.overdue = row.is_open and row.due_on < today
    return rows


REGISTER_CSV_COLUMNS = ["register_number", "year", "number", "kind", "client", "client_register_number", "officer",
                        "requested_by", "request_letter", "requested_on", "due_on", "status", "tpp_date", "tpp_number"]


def _register_csv(request, register, rows):
    """The register as filtered, for the office's own records or the Kanwil; the export is audited."""
    audit_log(actor=request.user, action="litmas.export", office=request.user.office, detail={"filters": applied_filters(register)})
    # Read now: the rows stream after the view returns, when the request's language is no longer active.
    kinds, statuses = {k: str(label) for k, label in LitmasKind.choices}, {k: str(label) for k, label in LitmasStatus.choices}

    def lines():
        for row in rows.iterator(chunk_size=2000):  # the register's query, with its client and PK joined
            yield [row.register_number, row.year, row.number, kinds[row.kind], row.client.full_name, row.client.register_number,
                   str(row.officer), row.requested_by, row.request_letter, row.requested_on.isoformat(), row.due_on.isoformat(),
                   statuses[row.status], row.tpp_date.isoformat() if row.tpp_date else "", row.tpp_number]

    return csv_response(f"register-litmas-{timezone.localdate():%Y%m%d}.csv", REGISTER_CSV_COLUMNS, lines())


def _officers(user):
    """Whom a Litmas can be given to: a supervisor picks any active PK of the office, a PK writes their own."""
    if user.is_supervisor:
        return caseworkers_of(user.office_id)
    return User.objects.filter(pk=user.pk)


def _show_loads(form, user) -> None:
    """For the Kasi: each PK's load beside their name, so the Litmas goes to someone who has the time."""
    if not user.is_supervisor:
        return
    loads = litmas.officer_loads(user.office_id)

    def label(officer):
        load = loads.get(officer.pk)
        if not load:
            return str(officer)
        percent = "—" if load["percent"] is None else f"{load['percent']}%"
        return _("%(name)s — beban %(percent)s, %(n)s Litmas disusun") % {"name": officer, "percent": percent, "n": load["litmas"]}

    form.fields["officer"].label_from_instance = label


@login_required
@require_http_methods(["GET", "POST"])
def litmas_create(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_get(user=request.user, pk=pk)
    require_client_writer(request.user)
    supervisions = client_supervisions(user=request.user, client=client).select_related(None)
    running = next((s for s in supervisions if s.closed_on is None), None)
    initial = {"officer": request.user.pk if not request.user.is_supervisor else None, "supervision": running,
               "requested_on": timezone.localdate()}
    form = LitmasRequestForm(request.POST or None, supervisions=supervisions, officers=_officers(request.user), initial=initial)
    _show_loads(form, request.user)
    if request.method == "POST" and form.is_valid():
        if save_from_form(form, lambda: litmas.litmas_register(by=request.user, client=client, data=form.cleaned_data)) is None:
            messages.success(request, _("Litmas dicatat di register dengan nomor %(number)s.") % {"number": form.saved.register_number})
            return redirect("litmas:detail", pk=form.saved.pk)
    return render(request, "assessments/litmas_request.html", {"client": client, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def litmas_request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor corrects the request, moves the deadline or gives the Litmas to another PK."""
    record = selectors.litmas_get(user=request.user, pk=pk)
    require_supervisor(request.user)
    form = LitmasRequestForm(request.POST or None, instance=None if request.method == "POST" else record,
                             supervisions=client_supervisions(user=request.user, client=record.client).select_related(None),
                             officers=_officers(request.user),
                             initial={"row_version": record.row_version})
    _show_loads(form, request.user)
    audit_record_opened(request, record, client_id=record.client_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_from_form(form, lambda: litmas.litmas_request_update(
            by=request.user, litmas=record, data=form.cleaned_data, expected_version=form.cleaned_data["row_version"] or 0))
        if status is None:
            messages.success(request, _("Permintaan Litmas diperbarui."))
            return redirect("litmas:detail", pk=record.pk)
    context = {"client": record.client, "form": form, "litmas": record, "cancel_url": reverse("litmas:detail", args=[record.pk])}
    return render(request, "assessments/litmas_request.html", context, status=status)


def _can_write(user, record: Litmas) -> bool:
    return record.status == LitmasStatus.DRAFT and litmas.may_write(user, record)


def _sections(record: Litmas) -> list[tuple[str, str]]:
    return [(Litmas._meta.get_field(name).verbose_name, getattr(record, name)) for name, _required in LITMAS_SECTIONS]


def _summary(record: Litmas) -> list[dict]:
    """What the TPP read once submitted; the client's results as they stand while still a draft."""
    results = litmas.assessment_summary(record.client) if record.status == LitmasStatus.DRAFT else record.assessment_summary
    # Stored as JSON, the dates are ISO text; the pages show them as dates.
    return [{**result, "assessed_on": datetime.date.fromisoformat(result["assessed_on"])} for result in results]


@login_required
@require_http_methods(["GET", "POST"])
def litmas_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The Litmas: its register entry, its parts (a form while the PK writes them), and what the TPP decided."""
    record = selectors.litmas_get(user=request.user, pk=pk)
    can_write = _can_write(request.user, record)
    form = LitmasSectionsForm(request.POST or None, instance=None if request.method == "POST" else record,
                              initial={"row_version": record.row_version}) if can_write else None
    status = 200
    if request.method == "POST":
        if form is None:
            return redirect("litmas:detail", pk=record.pk)
        if form.is_valid():
            status = _save_sections(request, form, record)
            if status is None:
                return redirect("litmas:detail", pk=record.pk)
    else:
        audit_log(actor=request.user, action="litmas.view", obj=record, office=record.office,
                  detail={"client": record.client_id, "register": record.register_number})
    context = {
        "litmas": record, "client": record.client, "form": form, "sections": _sections(record), "summary": _summary(record),
        "client_visible": clients_visible_to(request.user).filter(pk=record.client_id).exists(),
        "missing": litmas.missing_sections(record) if record.status == LitmasStatus.DRAFT else [],
        "can_decide": request.user.is_supervisor and record.status == LitmasStatus.SUBMITTED,
        "can_cancel": request.user.is_supervisor and record.is_open,
        "decision_form": LitmasDecisionForm(initial={"row_version": record.row_version, "tpp_date": timezone.localdate(),
                                                     **hearing_initial(request.GET)}),
        "cancel_form": LitmasCancelForm(initial={"row_version": record.row_version}),
        "today": timezone.localdate(),
    }
    return render(request, "assessments/litmas_detail.html", context, status=status)


def _save_sections(request, form, record) -> int | None:
    """Saves the draft and, with "Ajukan", submits it. A refused save keeps what was typed on the form; a
    refused submission leaves the draft saved and says what is still missing."""
    status = save_from_form(form, lambda: litmas.litmas_save_draft(
        by=request.user, litmas=record, sections=form.cleaned_data, expected_version=form.cleaned_data["row_version"]))
    if status is not None:
        return status
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draf Litmas disimpan."))
        return None
    try:
        litmas.litmas_submit(by=request.user, litmas=form.saved, expected_version=form.saved.row_version)
    except ValidationError as error:
        messages.warning(request, _("Draf disimpan, tetapi belum dapat diajukan: %(why)s") % {"why": " ".join(error.messages)})
    else:
        messages.success(request, _("Litmas diajukan ke sidang TPP."))
    return None


def _decision(request, record):
    """The form of the decision posted, the write it makes once valid, and what to say when done."""
    decision = request.POST.get("decision")
    if decision == "cancel":
        form = LitmasCancelForm(request.POST)
        return form, lambda: litmas.litmas_cancel(
            by=request.user, litmas=record, reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["row_version"],
        ), _("Litmas dibatalkan; nomornya tetap tercatat di register.")
    form = LitmasDecisionForm(request.POST)
    if decision == "approve":
        return form, lambda: litmas.litmas_approve(
            by=request.user, litmas=record, tpp_date=form.cleaned_data["tpp_date"], tpp_number=form.cleaned_data["tpp_number"],
            note=form.cleaned_data["note"], expected_version=form.cleaned_data["row_version"],
        ), _("Persetujuan TPP dicatat.")
    return form, lambda: litmas.litmas_return(
        by=request.user, litmas=record, note=form.cleaned_data["note"], expected_version=form.cleaned_data["row_version"],
    ), _("Litmas dikembalikan kepada PK penyusun.")


@login_required
@require_POST
def litmas_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor records the sidang TPP's decision (approved, or returned with a note), or cancels the request."""
    record = selectors.litmas_get(user=request.user, pk=pk)
    require_supervisor(request.user)
    form, write, done = _decision(request, record)
    if form.is_valid() and save_from_form(form, write) is None:
        messages.success(request, done)
        # Decided from the TPP agenda: back to it, for the hearing's next item.
        return redirect(safe_next(request, request.POST.get("next"), reverse("litmas:detail", args=[record.pk])))
    messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect("litmas:detail", pk=record.pk)


@login_required
def litmas_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The Litmas as the office files and sends it: a PDF under the office's letterhead (or, with ?format=html, a page)."""
    record = selectors.litmas_get(user=request.user, pk=pk)
    parts = _sections(record)
    closing_from = litmas.SECTION_FIELDS.index("conclusion")  # the assessment's results come before the conclusion
    html = render_to_string("assessments/litmas_print.html", {
        "litmas": record, "client": record.client, "office": record.office, "supervision": record.supervision,
        "findings": parts[:closing_from], "closing": parts[closing_from:], "summary": _summary(record),
        "printed_on": timezone.localdate(),
        "nik": record.client.nik_for(request.user),
    })
    audit_log(actor=request.user, action="litmas.print", obj=record, office=record.office,
              detail={"client": record.client_id, "register": record.register_number})
    return printed(request, html, f"litmas-{record.year}-{record.number:04d}.pdf")
