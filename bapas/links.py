"""Links built in bulk."""

from collections.abc import Callable

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def link(viewname: str, suffix: str = "") -> Callable[[int], str]:
    """A maker of links to one view by its integer argument: reverse() runs once, not once per row
    (the national sweep builds tens of thousands of links, a caseload page one per row)."""
    marker = 987654321
    before, after = reverse(viewname, args=[marker]).split(str(marker))
    return lambda arg: f"{before}{arg}{after}{suffix}"


def safe_next(request, candidate: str | None, default: str) -> str:
    """Where to go after a form: the page the user came from when it is on this site, else the default
    (a "next" from a link must not send anyone to another host)."""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return default


def back_or(request, default: str) -> str:
    """The page that opened this form (?next=, on this site), else the default."""
    return safe_next(request, request.GET.get("next"), default)


def query_without(query: QueryDict, *names: str) -> str:
    """The page's query string less some parameters: the filters a pagination link keeps while it
    sets its own page number, or a link that takes one filter off."""
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()
