import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import activate
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_celery_beat.models import PeriodicTask

from . import reminders, selectors, services
from .access import require_audit_reader, require_office_admin
from .audit import CLIENT_TYPE, action_label, audit_log, registered_actions
from .concurrency import save_unless_changed
from .csv_export import applied_filters, csv_response
from .filters import AuditFilter
from .forms import OfficeForm, ReminderScheduleForm, StaffCreateForm, StaffEditForm
from .jobs import registered_jobs
from .links import link, query_without, safe_next
from .models import OPEN_NOTICE, JobRun, Notification, Role


@require_POST
def set_language(request: HttpRequest):
    """Switches the interface language; a signed-in user keeps the choice on their profile."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(safe_next(request, request.POST.get("next"), "/"))
    if language in dict(settings.LANGUAGES):
        activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response


def home(request: HttpRequest) -> HttpResponse:
    """The first page: a Kanwil or national account's is the recap (it has no office or clients);
    everyone else's, the clients they see."""
    if request.user.is_authenticated and request.user.reads_recap:
        return redirect("reports:regional")
    return redirect("clients:list")


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    require_office_admin(request.user)
    return render(request, "bapas/settings_home.html", {"office": selectors.office_of(request.user)})


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require_office_admin(request.user)
    users = selectors.users_visible_to(request.user).order_by("first_name", "username")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(nip=query))
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    context = {"page": page, "q": query, "role": role, "roles": Role.choices, "querystring": query_without(request.GET, "page"),
               "locked": selectors.locked_out(u.username for u in page.object_list)}
    return render(request, "bapas/user_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    require_office_admin(request.user)
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_create(by=request.user, user=form.save(commit=False))
        messages.success(request, _("Pengguna %(name)s dibuat.") % {"name": user.username})
        return redirect("bapas:user_list")
    return render(request, "bapas/user_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_office_admin(request.user)
    managed = selectors.managed_user_get(user=request.user, pk=pk)
    form = StaffEditForm(request.POST or None, instance=managed, editor=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_unless_changed(form, lambda: services.user_update(by=request.user, user=form.instance, changed=form.changed_data))
        if status is None:
            messages.success(request, _("Pengguna disimpan."))
            return redirect("bapas:user_list")
    locked = bool(selectors.locked_out([managed.username]))
    return render(request, "bapas/user_form.html", {"form": form, "managed": managed, "locked": locked}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin sets a temporary password for a user of their office; their own goes through the
    change form, which asks for the current one."""
    require_office_admin(request.user)
    managed = selectors.managed_user_get(user=request.user, pk=pk)
    if managed.pk == request.user.pk:
        return redirect("bapas:password_change")
    form = SetPasswordForm(managed, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_reset(by=request.user, user=managed, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Kata sandi sementara %(name)s disimpan. Sampaikan kepadanya secara langsung; "
                                    "ia harus menggantinya saat masuk.") % {"name": managed.username})
        return redirect("bapas:user_edit", pk=managed.pk)
    return render(request, "bapas/user_password_form.html", {"form": form, "managed": managed})


@login_required
@never_cache
def session_ping(request: HttpRequest) -> HttpResponse:
    """Asked by the page's script (static/js/session.js) while its user works, and before a form is
    sent after a long pause: 204 while the session lasts, and the request renews it as any page's
    does. A session that has ended gets the login page instead (login_required), which the script
    reads as "signed out" and keeps the form on the page rather than send it to be lost."""
    return HttpResponse(status=204)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Every user changes their own password here; one an admin set leads here until it is changed."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.password_change(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)  # stay signed in here; other sessions end
        messages.success(request, _("Kata sandi Anda diganti."))
        return redirect("home")
    return render(request, "bapas/password_change.html", {"form": form})


def _office_settings(request: HttpRequest, form_class, template: str, saved: str) -> HttpResponse:
    """A form on the admin's own office, saved unless someone saved it since it was opened."""
    require_office_admin(request.user)
    form = form_class(request.POST or None, instance=selectors.office_of(request.user))
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_unless_changed(form, lambda: services.office_update(by=request.user, office=form.instance, changed=form.changed_data))
        if status is None:
            messages.success(request, saved)
            return redirect("bapas:settings")
    return render(request, template, {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reminder_schedule(request: HttpRequest) -> HttpResponse:
    """The office's reminder offsets (data, not code): the next sweep and every Hari ini follow them."""
    return _office_settings(request, ReminderScheduleForm, "bapas/reminder_schedule.html", _("Jadwal pengingat disimpan."))


@login_required
@require_http_methods(["GET", "POST"])
def office_edit(request: HttpRequest) -> HttpResponse:
    return _office_settings(request, OfficeForm, "bapas/office_form.html", _("Data kantor disimpan."))


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """"Hari ini": what is due for me now, computed live from the records' due dates. Each list starts
    with what has waited longest, and where the thing is done on one form (a contact, an assessment)
    each item links to that form, which comes back here. A long list shows its first TODAY_LIMIT
    items and a link to the rest (?lengkap=<kind>)."""
    rules = {rule.kind: rule for rule in reminders.rules()}
    back = "?" + urlencode({"next": request.get_full_path()})
    whole = request.GET.get("lengkap")
    groups = []
    for kind, items in reminders.due_for(request.user).items():
        if not items:
            continue
        action = rules[kind].action
        to_form = link(action[1], back) if action else None
        items = sorted(items, key=lambda item: (item.due_date, item.title))
        shown = items if kind == whole else items[:TODAY_LIMIT]
        groups.append({"kind": kind, "label": rules[kind].label, "action": action[0] if action else "", "total": len(items),
                       "rows": [(item, to_form(item.object_id) if to_form else "") for item in shown]})
    return render(request, "bapas/today.html", {"groups": groups, "sections": reminders.today_sections(request)})


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(recipient=request.user)
    if request.method == "POST":
        if "digest" in request.POST:
            request.user.digest_enabled = request.POST["digest"] == "on"
            request.user.save(update_fields=["digest_enabled"])
        else:
            mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("bapas:notifications")
    # "Perlu perhatian" (open: unread and not yet handled) or everything, read and handled included.
    show = "open" if request.GET.get("show") == "open" else "all"
    listed = mine.filter(OPEN_NOTICE) if show == "open" else mine
    page = Paginator(listed.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(request, "bapas/notifications.html", {"page": page, "show": show, "querystring": f"show={show}"})


TODAY_LIMIT = 50


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opens what a notice is about and marks the notice read, so the bell stops counting it."""
    notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(safe_next(request, notice.url, reverse("bapas:notifications")))


@login_required
def job_status(request: HttpRequest) -> HttpResponse:
    """For admins: the last run of each scheduled job, how long it took, what it counted, failures."""
    require_office_admin(request.user)
    names = sorted(registered_jobs())
    last = {run.name: run for run in JobRun.objects.filter(
        pk__in=Subquery(JobRun.objects.filter(name=OuterRef("name")).order_by("-started_at").values("pk")[:1]))}
    failures = JobRun.objects.filter(ok=False).order_by("-started_at")[:20]
    schedules = dict(PeriodicTask.objects.filter(name__in=names).values_list("name", "last_run_at"))
    rows = [(name, registered_jobs()[name], last.get(name), schedules.get(name)) for name in names]
    return render(request, "bapas/job_status.html", {"rows": rows, "failures": failures})


AUDIT_DEFAULT_DAYS = 30


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """The office's audit trail: who opened, changed or exported what, and when. It opens on the last
    AUDIT_DEFAULT_DAYS days (an empty "since" shows everything); ?format=csv exports what is filtered."""
    require_audit_reader(request.user)
    data = request.GET.copy()
    data.setdefault("since", (timezone.localdate() - datetime.timedelta(days=AUDIT_DEFAULT_DAYS)).isoformat())
    filtered = AuditFilter(data, queryset=selectors.audit_entries_visible_to(request.user).select_related("actor"),
                           office_id=request.user.office_id)
    if request.GET.get("format") == "csv" and filtered.is_valid():
        return _audit_csv(request, filtered)
    page = Paginator(filtered.qs, 50).get_page(request.GET.get("page"))
    client_pk = filtered.form.cleaned_data.get("client") if filtered.is_valid() else None
    context = {"filter": filtered, "page": page, "querystring": query_without(data, "page"),
               "all_clients": query_without(data, "page", "client"),
               "rows": [(entry, action_label(entry.action)) for entry in page.object_list],
               "client_name": _client_name(request.user, client_pk) if client_pk else None}
    return render(request, "bapas/audit.html", context)


def _client_name(user, client_pk: int) -> str:
    """The client's name as the trail last recorded it (this app does not read the client table)."""
    names = selectors.audit_entries_visible_to(user).filter(object_type=CLIENT_TYPE, object_id=str(client_pk))
    return names.values_list("object_repr", flat=True).first() or f"#{client_pk}"


AUDIT_CSV_COLUMNS = ["at", "username", "actor", "action", "action_label", "object_type", "object_id", "object",
                     "client_id", "ip", "detail"]


def _audit_csv(request: HttpRequest, filtered: AuditFilter) -> StreamingHttpResponse:
    """Streams the filtered trail (constant memory however long); the export is itself audited."""
    audit_log(actor=request.user, action="audit.export", office=request.user.office, detail={"filters": applied_filters(filtered)})
    # Read now: the rows are written after the view returns, when the request's time zone and
    # language are no longer active.
    zone = timezone.get_current_timezone()
    labels = {code: str(known.label) for code, known in registered_actions().items()}

    def rows():
        for entry in filtered.qs.iterator(chunk_size=2000):
            actor = entry.actor
            yield [entry.at.astimezone(zone).isoformat(timespec="seconds"), actor.username if actor else "",
                   str(actor) if actor else "", entry.action, labels.get(entry.action, entry.action), entry.object_type,
                   entry.object_id, entry.object_repr, entry.client_pk or "", entry.ip or "",
                   json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)]

    return csv_response(f"jejak-audit-{timezone.localdate():%Y%m%d}.csv", AUDIT_CSV_COLUMNS, rows())
