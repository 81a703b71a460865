"""The sidang TPP (the office's case-review panel) carried from its agenda to each decision's form: the
agenda's links hold the hearing's date and number, and each form starts with them filled in, so a
Kasi recording a dozen decisions of one hearing types its number once."""

import datetime

from django.http import QueryDict
from django.utils.http import urlencode

MAX_NUMBER = 100


def hearing_query(day: datetime.date | None, number: str) -> str:
    """The query string a decision link carries ("" when there is nothing to carry)."""
    params = {key: value for key, value in (("tpp_date", day.isoformat() if day else ""), ("tpp_number", number.strip())) if value}
    return urlencode(params)


def hearing_initial(query: QueryDict) -> dict:
    """The hearing a link carried, as initial values of a decision form: only what is well formed."""
    initial = {}
    try:
        initial["tpp_date"] = datetime.date.fromisoformat(query.get("tpp_date", ""))
    except ValueError:
        pass
    number = query.get("tpp_number", "").strip()
    if number and len(number) <= MAX_NUMBER:
        initial["tpp_number"] = number
    return initial
