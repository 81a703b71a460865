"""The kartu bimbingan (guidance card): one A4 page the client keeps and brings to wajib lapor."""

import base64

from django.template.loader import render_to_string
from django.utils import timezone

REPORTING_ROWS = 12  # one row per wajib lapor, signed by the PK


def card_html(*, client, supervision, photo_bytes: bytes | None, photo_type: str | None) -> str:
    photo = None
    if photo_bytes:
        photo = f"data:{photo_type};base64,{base64.b64encode(photo_bytes).decode()}"
    return render_to_string("clients/card.html", {
        "client": client,
        "office": client.office,
        "supervision": supervision,
        "photo": photo,
        "rows": range(1, REPORTING_ROWS + 1),
        "printed_on": timezone.localdate(),
    })


def card_pdf(**kwargs) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only this needs it

    return HTML(string=card_html(**kwargs)).write_pdf()
