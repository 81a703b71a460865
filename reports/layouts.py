"""The monthly report's layout as office data: the version in force, and publishing a new one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bapas.audit import audit_log
from bapas.versions import newest_version, next_version_number

from .models import ReportLayout
from .monthly import SECTIONS, shipped_layout

TITLE_MAX_LENGTH = 120


def current_layout(office_id: int) -> ReportLayout:
    """The newest version; the shipped layout, saved as version 1, for an office with none yet."""
    return newest_version(ReportLayout, office_id, {"sections": shipped_layout()})


def _checked(sections: list[dict]) -> list[dict]:
    if not sections:
        raise ValidationError(_("Pilih paling sedikit satu bagian untuk laporan."))
    keys = [entry["key"] for entry in sections]
    unknown = sorted(set(keys) - set(SECTIONS))
    if unknown:
        raise ValidationError(_("Bagian tidak dikenal: %(keys)s.") % {"keys": ", ".join(unknown)})
    if len(set(keys)) != len(keys):
        raise ValidationError(_("Setiap bagian hanya boleh muncul sekali."))
    checked = []
    for entry in sections:
        title = " ".join(entry.get("title", "").split())
        if len(title) > TITLE_MAX_LENGTH:
            raise ValidationError(_("Judul bagian paling panjang %(n)s karakter.") % {"n": TITLE_MAX_LENGTH})
        checked.append({"key": entry["key"], "title": title})
    return checked


@transaction.atomic
def layout_publish(*, by, office_id: int, sections: list[dict], expected_number: int) -> ReportLayout:
    """Saves the office's layout as a new version, if it is still at the version the admin edited:
    two admins editing at once must not have the second silently undo the first. The reports made
    from now on follow it; those in the archive keep theirs until they are made again."""
    number = next_version_number(ReportLayout, office_id, expected_number, {"sections": shipped_layout()})
    layout = ReportLayout.objects.create(office_id=office_id, number=number, sections=_checked(sections), created_by=by)
    audit_log(actor=by, action="report_layout.publish", obj=layout, office=layout.office,
              detail={"number": layout.number, "sections": layout.sections})
    return layout
