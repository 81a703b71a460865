"""The papers of intake: the kartu bimbingan (guidance card), one A4 page the client keeps and brings
to wajib lapor, and the kontrak bimbingan (supervision agreement) the client signs."""

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


def agreement_html(*, client, supervision, nik: str) -> str:
    """The kontrak bimbingan: what the client undertakes (the office's clauses, then the decree's
    conditions), signed by the client, the guarantor and the PK, acknowledged by the Kasi."""
    clauses = [line.strip() for line in client.office.agreement_clauses.splitlines() if line.strip()]
    return render_to_string("clients/agreement.html", {
        "client": client, "office": client.office, "supervision": supervision, "nik": nik, "clauses": clauses,
        "printed_on": timezone.localdate(),
    })
