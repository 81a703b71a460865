"""Role checks shared by every app's views. Scope (which records) is the selectors' job; these
only say whether the user's role may do the thing at all (a 403, which reveals nothing)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_client_writer(user) -> None:
    if not user.writes_client_files:
        raise PermissionDenied(_("Peran Anda hanya dapat membaca berkas klien."))


def require_supervisor(user) -> None:
    if not user.is_supervisor:
        raise PermissionDenied(_("Hanya Kasi/Kasubsi yang dapat melakukan ini."))


def require_office_admin(user) -> None:
    if not user.is_office_admin:
        raise PermissionDenied(_("Hanya admin kantor yang dapat mengelola pengaturan."))


def require_audit_reader(user) -> None:
    if not user.reads_audit:
        raise PermissionDenied(_("Hanya admin kantor dan Kabapas yang dapat membaca jejak audit."))


def require_office_role(user, roles, message) -> None:
    """The user belongs to an office and holds one of these roles; otherwise a 403 with the message."""
    if user.office_id is None or user.role not in roles:
        raise PermissionDenied(message)
