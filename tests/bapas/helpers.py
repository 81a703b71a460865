"""Helpers the page-walking tests share."""

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_ARGUMENTS = {"int": 1, "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000001"}


def named_pages(patterns=None, namespace=""):
    """(name, keyword arguments) of every named page, Django's own admin left out (it has its own login)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_pages(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            kinds = {name: type(converter).__name__.removesuffix("Converter").lower() for name, converter in converters.items()}
            yield f"{namespace}{entry.name}", {name: SAMPLE_ARGUMENTS.get(kind, 1) for name, kind in kinds.items()}
