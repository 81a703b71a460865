"""The client's timeline: one chronological view assembled from entries each app provides.
Apps register a source in AppConfig.ready(); this app never imports them."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

LIMIT = 200  # per source, newest first: a page of years of history stays a fixed number of queries


@dataclass(frozen=True)
class Entry:
    day: datetime.date
    kind: str  # the source's key, for filtering and styling
    title: str
    detail: str = ""
    url: str = ""


_sources: dict[str, tuple[str, Callable[[HttpRequest, object, int], list[Entry]]]] = {}


def register_timeline_source(key: str, label, source: Callable[[HttpRequest, object, int], list[Entry]]) -> None:
    _sources[key] = (label, source)


def source_labels() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _source) in _sources.items()]


def timeline_for(request: HttpRequest, client, kinds: set[str] | None = None) -> list[Entry]:
    entries = []
    for key, (_label, source) in _sources.items():
        if kinds and key not in kinds:
            continue
        entries.extend(source(request, client, LIMIT))
    return sorted(entries, key=lambda entry: entry.day, reverse=True)
