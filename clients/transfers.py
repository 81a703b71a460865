"""Moving a client's file from one Bapas to another (pemindahan klien).

A NIK is registered once, nationally, so a client who moves to another office's area, or comes back
under a new decree years after a supervision elsewhere, cannot be registered anew: the office that
takes them over asks for the file, and the Kasi/Kasubsi of the office holding it decides.

Accepted, the client (their data, documents and register number in the new office) belongs to the
new office, which opens the supervision it runs. A supervision still running at the old office ends
that day as "dipindahkan ke Bapas lain", without the follow-ups a finished supervision gets: the
client is still under guidance, elsewhere. The old office's supervisions stay its records and its
figures; what it still had going for the client (enrolments, follow-ups) programs ends on a signal."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bapas.audit import audit_log

from .models import (
    REVOCATION_CLOSED,
    Client,
    ClientTransfer,
    ClosureReason,
    OffenceCategory,
    Revocation,
    Supervision,
    TransferStatus,
)
from .services import supervision_close
from .signals import client_transferring
from .validators import validate_nik


def _client_elsewhere(*, office, nik: str) -> Client:
    """The client another office holds under this NIK, locked; refused with the reason on the NIK field otherwise."""
    try:
        validate_nik(nik)
    except ValidationError as error:
        raise ValidationError({"nik": error.messages}) from error
    client = Client.objects.select_for_update(of=("self",)).select_related("office").filter(nik=nik).first()
    if client is None:
        raise ValidationError({"nik": _("Tidak ada klien dengan NIK ini di Bapas mana pun; daftarkan sebagai klien baru.")})
    if client.office_id == office.pk:
        raise ValidationError({"nik": _("Klien dengan NIK ini sudah terdaftar di kantor ini.")})
    if ClientTransfer.objects.filter(client=client, status=TransferStatus.REQUESTED).exists():
        # Not saying which office asked: that is between it and the holding office.
        raise ValidationError({"nik": _("Pemindahan klien ini sudah diajukan dan masih menunggu keputusan %(holder)s; ajukan lagi "
                                        "setelah diputuskan.") % {"holder": client.office.name}})
    return client


def _register_number_taken(office_id: int, number: str) -> bool:
    return Client.objects.filter(office_id=office_id, register_number=number).exists()


@transaction.atomic
def transfer_request(*, by, nik: str, register_number: str, reason: str) -> ClientTransfer:
    """The user's office asks for the file of the client registered elsewhere under `nik`, to hold it
    under `register_number` of its own register."""
    client = _client_elsewhere(office=by.office, nik=nik)
    errors = {}
    if _register_number_taken(by.office_id, register_number):
        errors["register_number"] = [_("Nomor register ini sudah dipakai di kantor ini.")]
    if not reason.strip():
        errors["reason"] = [_("Sebutkan alasan pemindahan.")]
    if errors:
        raise ValidationError(errors)
    transfer = ClientTransfer.objects.create(client=client, from_office=client.office, to_office=by.office, requested_by=by,
                                             register_number=register_number, reason=reason.strip())
    audit_log(actor=by, action="client_transfer.request", obj=transfer, office=by.office, detail={
        "client": client.pk, "from_office": client.office_id, "register_number": register_number, "reason": transfer.reason})
    return transfer


def acceptance_refusal(transfer: ClientTransfer) -> str:
    """Why the holding office cannot hand the file over yet ("" when it can): a revocation of the
    client's still under way there is its own legal process, finished where it began."""
    if transfer.client.office_id != transfer.from_office_id:
        return _("Klien ini sudah tidak terdaftar di kantor ini.")
    if Revocation.objects.filter(supervision__client_id=transfer.client_id, supervision__office_id=transfer.from_office_id) \
            .exclude(stage__in=REVOCATION_CLOSED).exists():
        return _("Proses pencabutan klien ini masih berjalan; selesaikan dulu sebelum berkasnya dipindahkan.")
    return ""


@transaction.atomic
def transfer_decide(*, by, transfer: ClientTransfer, accept: bool, note: str) -> ClientTransfer:
    """The holding office's answer. Accepted: a supervision running here ends today (dipindahkan), the
    sending office's open work for the client ends (client_transferring), and the client moves to the
    requesting office under the register number it asked for."""
    current = ClientTransfer.objects.select_for_update(of=("self",)).select_related("client", "to_office").get(pk=transfer.pk)
    if current.status != TransferStatus.REQUESTED:
        raise ValidationError(_("Permintaan ini sudah diputuskan."))
    note = note.strip()
    if not accept and not note:
        raise ValidationError({"note": _("Sebutkan alasan penolakan.")})
    client = Client.objects.select_for_update().get(pk=current.client_id)
    ended = _hand_over(by=by, transfer=current, client=client) if accept else {}
    current.status = TransferStatus.ACCEPTED if accept else TransferStatus.REFUSED
    current.decided_by, current.decided_at, current.decision_note = by, timezone.now(), note
    current.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "ended_supervision"])
    audit_log(actor=by, action="client_transfer." + ("accept" if accept else "refuse"), obj=current, office=current.from_office,
              detail={"client": client.pk, "to_office": current.to_office_id, "note": note, **ended})
    return current


@transaction.atomic
def transfer_withdraw(*, by, transfer: ClientTransfer) -> ClientTransfer:
    """The asking office takes back a request still waiting (sent by mistake, or no longer needed)."""
    current = ClientTransfer.objects.select_for_update().get(pk=transfer.pk)
    if current.status != TransferStatus.REQUESTED:
        raise ValidationError(_("Permintaan ini sudah diputuskan."))
    current.status, current.decided_by, current.decided_at = TransferStatus.WITHDRAWN, by, timezone.now()
    current.save(update_fields=["status", "decided_by", "decided_at"])
    audit_log(actor=by, action="client_transfer.withdraw", obj=current, office=current.to_office,
              detail={"client": current.client_id, "from_office": current.from_office_id})
    return current


def _hand_over(*, by, transfer: ClientTransfer, client: Client) -> dict:
    """Moves the file; returns what ended with it at the holding office, for the audit entry."""
    transfer.client = client
    if refusal := acceptance_refusal(transfer):
        raise ValidationError(refusal)
    if _register_number_taken(transfer.to_office_id, transfer.register_number):
        raise ValidationError(_("Nomor register %(number)s sudah dipakai di %(office)s sejak permintaan diajukan; tolak permintaan "
                                "ini agar diajukan lagi dengan nomor lain.") % {"number": transfer.register_number,
                                                                                  "office": transfer.to_office.name})
    running = Supervision.objects.select_for_update().filter(client=client, closed_on__isnull=True).first()
    if running is not None:
        supervision_close(by=by, supervision=running, closed_on=timezone.localdate(), reason=ClosureReason.TRANSFERRED)
        transfer.ended_supervision = running
    ended = {"supervision_ended": running.pk if running else None}
    for _receiver, what in client_transferring.send(sender=Client, client=client, transfer=transfer):
        ended.update(what or {})
    client.office_id, client.register_number = transfer.to_office_id, transfer.register_number
    client.version += 1
    client._change_reason = _("Dipindahkan ke %(office)s") % {"office": transfer.to_office.name}
    client.save(update_fields=["office", "register_number", "version"])
    return ended


# What a supervision ended by a transfer hands on to the one the receiving office opens: the same
# decree, offence, period end and conditions. Its start is the day the file moved.
CONTINUED_FIELDS = ["legal_basis", "decree_number", "decree_date", "decree_issuer", "offence_article", "sentence", "end_date",
                    "general_conditions", "special_conditions", "reporting_interval_days"]


def continued_from(*, client: Client, office) -> Supervision | None:
    """The supervision the client's file came to `office` with: ended at the other office by the
    latest transfer here, while this office has opened none since. The one supervision of another
    office this office reads: the legal basis its own goes on under."""
    transfer = (ClientTransfer.objects.filter(client=client, to_office=office, status=TransferStatus.ACCEPTED,
                                              ended_supervision__isnull=False, opened_supervision__isnull=True)
                .select_related("ended_supervision__office", "ended_supervision__offence_category").order_by("-decided_at").first())
    if transfer is None:
        return None
    ended = transfer.ended_supervision
    ended.transferred_on = timezone.localdate(transfer.decided_at)
    return ended


def continued_initial(ended: Supervision, office) -> dict:
    """The new supervision's form, filled in from the one it continues; the offence category is the
    receiving office's of the same name, when it has one."""
    initial = {field: getattr(ended, field) for field in CONTINUED_FIELDS}
    initial["start_date"] = ended.transferred_on
    category = OffenceCategory.objects.filter(office=office, name=ended.offence_category.name, active=True).first()
    if category is not None:
        initial["offence_category"] = category.pk
    return initial
