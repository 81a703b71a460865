"""The one way to write the audit trail. The request's IP reaches it through a context variable
set by RequestContextMiddleware, so services need not pass requests around.

Each app names the actions it writes (register_actions, from its AppConfig.ready()), with a label
and a kind, so the audit page can say "Membuka berkas klien" instead of "client.view" and filter by
kind without this app knowing the apps above it."""

from contextvars import ContextVar
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)

CLIENT_TYPE = "clients.client"


def audit_log(*, actor, action: str, obj=None, office=None, detail: dict | None = None) -> AuditEntry:
    entry = _entry(actor, action, obj, office, detail or {})
    entry.save()
    return entry


def audit_record_opened(request, record, *, client_id: int) -> None:
    """A page that shows one record of a client's file (an edit or correction form), opened rather than
    saved: a view of that file like any other. A save is audited as the write it is."""
    if request.method == "GET":
        audit_log(actor=request.user, action="record.view", obj=record, office=request.user.office,
                  detail={"client": client_id, "page": request.resolver_match.view_name})


def audit_log_each(*, actor, action: str, office, entries: list[tuple[object, dict]]) -> None:
    """One entry per object, written in one statement: for a service that changes many records at
    once (a bulk write, which the history library does not see either)."""
    AuditEntry.objects.bulk_create([_entry(actor, action, obj, office, detail) for obj, detail in entries], batch_size=1000)


def _entry(actor, action: str, obj, office, detail: dict) -> AuditEntry:
    if office is None and obj is not None:
        office = getattr(obj, "office", None)
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        office=office,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        ip=current_ip.get(),
        detail=detail,
        client_pk=_client_of(obj, detail),
    )


def _client_of(obj, detail: dict) -> int | None:
    """The client whose file the entry is about: named in the detail, the object itself, or the
    client of the object (a supervision)."""
    if detail.get("client") is not None:
        return detail["client"]
    if obj is None:
        return None
    if obj._meta.label_lower == CLIENT_TYPE:
        return obj.pk
    return getattr(obj, "client_id", None)


# ---------------------------------------------------------------- what each action is called

KINDS = {
    "view": _("Membuka berkas klien"),
    "write": _("Mengubah berkas klien"),
    "export": _("Ekspor dan cetak"),
    "settings": _("Pengguna dan pengaturan"),
}


class Action(NamedTuple):
    kind: str
    label: str


_actions: dict[str, Action] = {}


def register_actions(kind: str, labels: dict) -> None:
    assert kind in KINDS, kind
    for action, label in labels.items():
        _actions[action] = Action(kind, label)


def action_label(action: str) -> str:
    known = _actions.get(action)
    return known.label if known else action


def actions_of_kind(kind: str) -> list[str]:
    return [action for action, known in _actions.items() if known.kind == kind]


def registered_actions() -> dict[str, Action]:
    return dict(_actions)


register_actions("settings", {
    "user.create": _("Membuat pengguna"),
    "user.update": _("Mengubah pengguna"),
    "user.password_reset": _("Mengatur ulang kata sandi pengguna"),
    "user.password_change": _("Mengganti kata sandi sendiri"),
    "office.update": _("Mengubah data kantor"),
})
register_actions("export", {"audit.export": _("Mengekspor jejak audit")})
register_actions("view", {"record.view": _("Membuka catatan klien untuk diubah")})
