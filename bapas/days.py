"""Days as an office lives them: where a date begins as a moment, so that a day or a month is a range
on an indexed time column rather than a conversion of every row's time."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone


def asked_day(request) -> datetime.date:
    """The day a link asks for (?tanggal=), today if none or not a date; never a day to come."""
    today = timezone.localdate()
    try:
        return min(datetime.date.fromisoformat(request.GET.get("tanggal", "")), today)
    except ValueError:
        return today


def day_start(day: datetime.date, zone: ZoneInfo | None = None) -> datetime.datetime:
    """Midnight at the start of `day` in `zone`, by default the active one (the office's, in a request)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone=zone)
