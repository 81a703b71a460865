"""Office settings kept as numbered versions (the intensity policy, the monthly report's layout):
each save a new row, the newest in force, and two admins editing at once never silently undo each other."""

from bapas.concurrency import StaleEdit
from bapas.models import Office


def newest_version(model, office_id: int, shipped: dict):
    """The office's newest version; the shipped one (`shipped`: its fields), saved as version 1, for an office with none yet."""
    newest = model.objects.filter(office_id=office_id).order_by("-number").first()
    if newest is None:
        newest, _created = model.objects.get_or_create(office_id=office_id, number=1, defaults=shipped)
    return newest


def next_version_number(model, office_id: int, expected_number: int | None, shipped: dict) -> int:
    """The number of the version to save, with the office locked until the transaction ends (one
    publisher at a time per office); StaleEdit when the newest is no longer the one the admin opened."""
    Office.objects.select_for_update().get(pk=office_id)
    newest = newest_version(model, office_id, shipped)
    if newest.number != expected_number:
        raise StaleEdit()
    return newest.number + 1
