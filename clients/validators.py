"""NIK: 16 digits — region (6), birth day (+40 for women), month, two-digit year, serial (4)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIK_PATTERN = re.compile(r"^\d{16}$")


def validate_nik(value: str) -> None:
    if not NIK_PATTERN.match(value or ""):
        raise ValidationError(_("NIK harus terdiri dari 16 angka."), code="nik_format")


def nik_birth_facts(nik: str) -> tuple[int, int, int, str] | None:
    """(day, month, two-digit year, sex code) encoded in a NIK, or None if it cannot be read."""
    if not NIK_PATTERN.match(nik or ""):
        return None
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if day > 40:
        day, sex = day - 40, "P"
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return day, month, year, sex


def nik_mismatches(nik: str, birth_date: datetime.date | None, sex: str | None) -> list[str]:
    """Human-readable disagreements between the NIK and the form; an empty list when they agree."""
    facts = nik_birth_facts(nik)
    if facts is None:
        return [_("Tanggal lahir yang tersandi dalam NIK tidak dapat dibaca.")]
    day, month, year, nik_sex = facts
    problems = []
    if birth_date and (birth_date.day, birth_date.month, birth_date.year % 100) != (day, month, year):
        problems.append(
            _("NIK menyandikan tanggal lahir %(d)02d-%(m)02d-..%(y)02d, berbeda dari tanggal lahir di formulir.")
            % {"d": day, "m": month, "y": year}
        )
    if sex and sex != nik_sex:
        problems.append(_("NIK menyandikan jenis kelamin yang berbeda dari formulir."))
    return problems
