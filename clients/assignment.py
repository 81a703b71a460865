"""Advice shown when a supervisor (re)assigns a case. The workload model lives in the reports app,
which registers the advisor in its AppConfig.ready(), so this app never imports it."""

_advisor = None


def register_assignment_advisor(func) -> None:
    global _advisor
    _advisor = func


def advice_for(supervision) -> dict | None:
    return _advisor(supervision) if _advisor is not None else None
