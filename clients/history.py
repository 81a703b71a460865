"""A client's change history: what was changed in their file, by whom, when and why, field by field,
from the field history the history library keeps. The audit trail says who opened or changed what;
this says what the values were before and after.

Each app registers the recorded models that belong to a client's file (register_history_source, in
its AppConfig.ready()), so this app never imports them. A source gives the historical rows of the
client's records; the page pairs each row with the one before it to show what changed."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

LIMIT = 1000  # historical rows per source, newest first: a fixed number of queries whatever the file's age

# Columns every record has that say nothing to a reader.
IGNORED = {"id", "version", "row_version", "created_at", "updated_at"}


@dataclass(frozen=True, eq=False)
class HistorySource:
    rows: Callable  # (client, supervision_ids) -> a queryset of historical rows of the client's records
    ignored: frozenset = frozenset()  # columns the services work out (due dates, stage boundaries): not changes anyone made
    describe: Callable = str  # the record a row is about, in words
    masks: dict = field(default_factory=dict)  # column -> (user, value) -> what that user may see of it (the NIK)


_sources: list[HistorySource] = []


def register_history_source(source: HistorySource) -> None:
    _sources.append(source)


@dataclass
class Change:
    at: datetime.datetime
    user: object
    record: str
    kind: str  # "+" made, "~" changed, "-" removed
    reason: str
    fields: list = field(default_factory=list)  # (label, before, after)


def changes_for(user, client, supervision_ids: list[int]) -> list[Change]:
    """Every change to the client's records, newest first, its values in words as this user may see them."""
    changes = []
    for source in _sources:
        rows = list(source.rows(client, supervision_ids).select_related("history_user").order_by("-history_date")[:LIMIT])
        by_record = defaultdict(list)
        for row in rows:
            by_record[row.id].append(row)
        for versions in by_record.values():
            versions.sort(key=lambda row: (row.history_date, row.history_id))
            for before, after in zip([None, *versions], versions):
                change = _change(source, user, before, after)
                if change is not None:
                    changes.append(change)
    _in_words(changes)
    return sorted(changes, key=lambda change: change.at, reverse=True)


def _change(source: HistorySource, user, before, after) -> Change | None:
    fields = []
    if before is not None and after.history_type == "~":
        skipped = IGNORED | source.ignored
        for model_field in after.instance_type._meta.concrete_fields:
            if model_field.name in skipped:
                continue
            old, new = getattr(before, model_field.attname), getattr(after, model_field.attname)
            if old != new:
                mask = source.masks.get(model_field.name)
                fields.append((model_field, mask(user, old), mask(user, new)) if mask else (model_field, old, new))
        if not fields:
            return None  # only worked-out columns moved (a contact logged refreshes the next due date)
    return Change(at=after.history_date, user=after.history_user, record=source.describe(after), kind=after.history_type,
                  reason=after.history_change_reason or "", fields=fields)


def _in_words(changes: list[Change]) -> None:
    """Each changed value as a reader knows it: a choice's label, a related record's name (one query
    per related model for all the changes), Ya/Tidak, dates as d-m-Y in the office's time zone."""
    wanted = defaultdict(set)
    for change in changes:
        for model_field, old, new in change.fields:
            if isinstance(model_field, models.ForeignKey):
                wanted[model_field.related_model] |= {value for value in (old, new) if value is not None}
    names = {model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)} for model, ids in wanted.items()}
    for change in changes:
        change.fields = [(model_field.verbose_name, _shown(model_field, old, names), _shown(model_field, new, names))
                         for model_field, old, new in change.fields]


def _shown(model_field, value, names) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(model_field, models.ForeignKey):
        return names.get(model_field.related_model, {}).get(value, f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"
