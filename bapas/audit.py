"""The one way to write the audit trail. The request's IP reaches it through a context variable
set by RequestContextMiddleware, so services need not pass requests around."""

from contextvars import ContextVar

from .models import AuditEntry

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def audit_log(*, actor, action: str, obj=None, office=None, detail: dict | None = None) -> AuditEntry:
    if office is None and obj is not None:
        office = getattr(obj, "office", None)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        office=office,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        ip=current_ip.get(),
        detail=detail or {},
    )
