"""Importing an office's existing clients from a spreadsheet (XLSX or CSV), one row a client with the
supervision they are under. The columns are the registration form's fields, so every row meets the
same rules as a client registered by hand (NIK, dates in order, the PK of this office …): a row is
checked by the form itself. First every row is checked and the supervisor sees what would be imported
and what not, and why; then the rows that pass are registered through the same service as the form."""

import csv
import datetime
import io
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bapas.audit import audit_log

from .forms import ClientForm, SupervisionForm
from .models import ClientImport, ImportStatus
from .services import client_register

MAX_ROWS = 5000
MAX_LISTED_ERRORS = 500
PROGRESS_EVERY = 25  # rows between two progress writes
SKIPPED_FIELDS = {"expected_version"}
TRUE_WORDS = {"ya", "y", "yes", "1", "true", "benar", "x", "v", "✓"}
# Headings shorter than the form's label, where the label is a sentence for a checkbox.
SHORT_HEADINGS = {"client-confirm_nik_mismatch": gettext_lazy("NIK sudah dicocokkan dengan KTP")}


class ImportFileError(Exception):
    """The file cannot be read as a table of clients; the message says why."""


def _forms(office, by, data=None):
    return (ClientForm(data, office=office, prefix="client"),
            SupervisionForm(data, office=office, user=by, prefix="supervision"))


def columns(office, by) -> list[tuple[str, forms.Field, str]]:
    """(key, field, heading) of every column, in the forms' order; headings in Bahasa Indonesia."""
    with translation.override("id"):
        listed = []
        for form in _forms(office, by):
            for name, field in form.fields.items():
                if name not in SKIPPED_FIELDS:
                    key = form.add_prefix(name)
                    heading = str(SHORT_HEADINGS.get(key) or field.label or name).strip()
                    listed.append((key, field, heading + (" *" if field.required else "")))
        return listed


def template_xlsx(office, by) -> bytes:
    """An empty sheet with the headings, a second sheet explaining each column and its choices."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Klien"
    guide = book.create_sheet("Petunjuk")
    guide.append(["Kolom", "Isian"])
    for index, (_key, field, heading) in enumerate(columns(office, by), 1):
        cell = sheet.cell(row=1, column=index, value=heading)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(14, min(40, len(heading) + 2))
        # NIK and numbers such as RT/RW are text: a spreadsheet would drop leading zeros and round 16 digits.
        for row in range(2, MAX_ROWS + 2) if heading.startswith("NIK") else ():
            sheet.cell(row=row, column=index).number_format = "@"
        guide.append([heading, _column_help(field)])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _column_help(field) -> str:
    with translation.override("id"):
        if isinstance(field, forms.ModelChoiceField):
            return ", ".join(str(choice) for choice in field.queryset)
        if isinstance(field, forms.ChoiceField):
            return " | ".join(f"{value} = {label}" for value, label in field.choices if value != "")
        if isinstance(field, forms.DateField):
            return "DD-MM-YYYY"
        if isinstance(field, forms.BooleanField):
            return "ya / kosong"
        return str(field.help_text or "")


def read_table(upload_name: str, content: bytes) -> list[list]:
    """The rows of the file's first sheet (XLSX) or of the CSV (comma or semicolon), headings first."""
    if upload_name.lower().endswith(".xlsx"):
        if not content.startswith(b"PK\x03\x04"):
            raise ImportFileError(_("Berkas ini bukan XLSX yang sah."))
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises several kinds for a damaged file
            raise ImportFileError(_("Berkas XLSX tidak dapat dibaca.")) from error
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    elif upload_name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFileError(_("Berkas CSV harus disimpan dengan pengodean UTF-8.")) from error
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;") if text.strip() else csv.excel
        rows = list(csv.reader(io.StringIO(text), dialect))
    else:
        raise ImportFileError(_("Unggah berkas XLSX atau CSV."))
    rows = [row for row in rows if any(value not in (None, "") for value in row)]
    if not rows:
        raise ImportFileError(_("Berkas ini kosong."))
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(_("Paling banyak %(n)d baris klien sekali impor; bagi berkasnya.") % {"n": MAX_ROWS})
    return rows


def _normal(text) -> str:
    return re.sub(r"[\s*]+", " ", str(text or "")).strip().lower()


def _heading_keys(headings: list, office, by) -> list[str | None]:
    """Each heading's column key, matched by the Indonesian or English label or the key itself."""
    known = {}
    for key, field, _heading in columns(office, by):
        known[_normal(key)] = key
        for language in ("id", "en"):
            with translation.override(language):
                known[_normal(field.label or key)] = key
                if key in SHORT_HEADINGS:
                    known[_normal(SHORT_HEADINGS[key])] = key
    return [known.get(_normal(heading)) for heading in headings]


def _names(field) -> dict[str, str]:
    """A related field's choices by every name a sheet may use (id, name, username), read once per file."""
    names = {}
    for choice in field.queryset:
        for name in (choice.pk, str(choice), getattr(choice, "username", None)):
            if name is not None:
                names.setdefault(_normal(name), str(choice.pk))
    return names


def _value(field, raw, names=None) -> str:
    """A cell as the form expects it: a choice's code from its code or label, dates as ISO, ya → on."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(field, forms.DateField):
        if isinstance(raw, datetime.datetime | datetime.date):
            return raw.strftime("%Y-%m-%d")
        match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", str(raw).strip())
        return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}" if match else str(raw).strip()
    text = str(raw).strip()
    if isinstance(field, forms.BooleanField):
        return "on" if text.lower() in TRUE_WORDS else ""
    if isinstance(field, forms.ModelChoiceField):
        return (names or {}).get(_normal(text), text)
    if isinstance(field, forms.ChoiceField):
        for value, label in field.choices:
            if _normal(text) in {_normal(value), _normal(label)}:
                return str(value)
    return text


def _checked_rows(batch: ClientImport, rows: list[list]):
    """Each data row with its number on the sheet, its two bound forms, and its errors (empty when it passes)."""
    office, by = batch.office, batch.created_by
    keys = _heading_keys(rows[0], office, by)
    fields = {key: field for key, field, _heading in columns(office, by)}
    names = {key: _names(field) for key, field in fields.items() if isinstance(field, forms.ModelChoiceField)}
    seen_nik, seen_register = {}, {}
    for number, row in enumerate(rows[1:], start=2):
        data = {key: _value(fields[key], cell, names.get(key)) for key, cell in zip(keys, row) if key is not None}
        for key, field in fields.items():
            if not data.get(key) and field.initial not in (None, ""):
                data[key] = str(field.initial)  # the form's default, as on the page (the general conditions)
        client_form, supervision_form = _forms(office, by, data)
        client_ok = client_form.is_valid()
        supervision_form.instance.client = client_form.instance
        supervision_ok = supervision_form.is_valid()
        errors = [] if client_ok and supervision_ok else _messages(client_form) + _messages(supervision_form)
        for seen, key, label in ((seen_nik, "client-nik", "NIK"), (seen_register, "client-register_number", _("No. register"))):
            value = data.get(key)
            if value and value in seen:
                errors.append(_("%(label)s sama dengan baris %(row)d.") % {"label": label, "row": seen[value]})
            elif value:
                seen[value] = number
        yield number, client_form, supervision_form, errors


def _messages(form) -> list[str]:
    listed = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        listed.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return listed


def _advance(batch: ClientImport, done: int, total: int, **fields) -> None:
    """How far the step got, in a short write of its own so the page polling the row sees it move.
    The progress never reads 0 while running: 0 marks a step not yet begun."""
    ClientImport.objects.filter(pk=batch.pk).update(
        done_rows=done, progressed_at=timezone.now(), progress=max(1, min(99, round(100 * done / max(total, 1)))), **fields)


def _rows_of(batch: ClientImport) -> list[list]:
    with batch.file.open("rb") as stored:
        return read_table(batch.original_name, stored.read())


def check(batch: ClientImport) -> ClientImport:
    """Checks every row with the registration forms; imports nothing."""
    try:
        rows = _rows_of(batch)
        total, valid, listed, failing = len(rows) - 1, 0, [], 0
        with translation.override("id"):
            keys = _heading_keys(rows[0], batch.office, batch.created_by)
            unknown = [str(heading) for heading, key in zip(rows[0], keys) if key is None and heading not in (None, "")]
            if unknown:  # row 1, the headings: a misspelt heading would otherwise read as an empty column
                listed.append([1, [_("Kolom tidak dikenal, diabaikan: %(names)s.") % {"names": ", ".join(unknown)}]])
            for done, (number, _client_form, _supervision_form, errors) in enumerate(_checked_rows(batch, rows), 1):
                if errors:
                    failing += 1
                    if len(listed) < MAX_LISTED_ERRORS:
                        listed.append([number, errors])
                else:
                    valid += 1
                if done % PROGRESS_EVERY == 0:
                    _advance(batch, done, total)
    except ImportFileError as error:
        return _finish(batch, status=ImportStatus.FAILED, failure=str(error))
    return _finish(batch, status=ImportStatus.CHECKED, total_rows=total, valid_rows=valid, errors=listed, error_rows=failing)


def run(batch: ClientImport) -> ClientImport:
    """Registers every row that passes now (the office may have changed since the check), each in its
    own transaction, through the same service as the registration page (audit and field history).
    How far it got is written with each row, in the row's own transaction, so a step taken over from
    a worker that stopped carries on after the last row dealt with and imports no row twice."""
    rows = _rows_of(batch)
    total = len(rows) - 1
    resume, imported, failing, listed = batch.done_rows, batch.imported_rows, batch.error_rows, list(batch.errors)
    with translation.override("id"):
        for done, (number, client_form, supervision_form, errors) in enumerate(_checked_rows(batch, rows), 1):
            if done <= resume:
                continue
            if not errors:
                try:
                    # The field history names who imported: a worker has no request for the history's middleware to read.
                    client_form.instance._history_user = supervision_form.instance._history_user = batch.created_by
                    with transaction.atomic():
                        client_register(by=batch.created_by, client=client_form.instance, supervision=supervision_form.instance)
                        _advance(batch, done, total, imported_rows=imported + 1)
                    imported += 1
                    continue
                except ValidationError as error:
                    errors = error.messages
            failing += 1
            if len(listed) < MAX_LISTED_ERRORS:
                listed.append([number, errors])
            _advance(batch, done, total, error_rows=failing, errors=listed)
    audit_log(actor=batch.created_by, action="client.import", obj=batch, office=batch.office,
              detail={"file": batch.original_name, "rows": total, "imported": imported, "not_imported": failing})
    return _finish(batch, status=ImportStatus.DONE, imported_rows=imported, errors=listed, error_rows=failing)


def _finish(batch: ClientImport, **fields) -> ClientImport:
    # A finished step leaves nothing to carry on from: the next step starts at its first row.
    ClientImport.objects.filter(pk=batch.pk).update(progress=100, done_rows=0, **fields)
    batch.refresh_from_db()
    return batch


STALLED_AFTER = datetime.timedelta(minutes=15)  # a running step writes with every row; this long silent, its worker is gone
UNCLAIMED_AFTER = datetime.timedelta(minutes=10)  # a step asked for this long ago and not begun never reached a worker


def _waiting(now: datetime.datetime, *, stalled_only=False):
    stalled = Q(progress__gt=0, progressed_at__lt=now - STALLED_AFTER)
    unclaimed = Q(progress=0, requested_at__lt=now - UNCLAIMED_AFTER) if stalled_only else Q(progress=0)
    return ClientImport.objects.filter(status__in=[ImportStatus.CHECKING, ImportStatus.IMPORTING]).filter(stalled | unclaimed)


def work(batch: ClientImport) -> ClientImport:
    """Whatever step the batch waits for: the check, or the import the supervisor confirmed. A step is
    claimed first, so a task and the catch-up job never both run it; a step whose worker stopped
    part-way can be claimed again."""
    if not _waiting(timezone.now()).filter(pk=batch.pk).update(progress=1, progressed_at=timezone.now()):
        return batch
    batch.refresh_from_db()
    if batch.status == ImportStatus.CHECKING:
        return check(batch)
    return run(batch)


def stalled_steps() -> list[ClientImport]:
    """Steps whose task never reached a worker (broker down), or whose worker stopped part-way."""
    return list(_waiting(timezone.now(), stalled_only=True).select_related("office", "created_by"))
