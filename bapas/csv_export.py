"""CSV downloads streamed row by row: constant memory however many rows, and a byte-order mark so a
spreadsheet opens the file as UTF-8 (names with accents, the "—" of an empty cell)."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse


class _Echo:
    """A file-like object csv.writer can write a row to, handing the line back for streaming."""

    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """`rows` is read while the response streams, after the view has returned: read anything that
    depends on the request (its time zone, its language) before, not inside it."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def applied_filters(filterset) -> dict[str, str]:
    """The filters an export was made with, for its audit entry: those the user set, as text."""
    return {name: str(value) for name, value in filterset.form.cleaned_data.items() if value not in (None, "", False)}
