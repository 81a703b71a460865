"""The sidang TPP's agenda: everything of an office that waits for the panel (case plans submitted,
Litmas submitted, revocation cases reported), in three queries however many."""

from clients.models import Revocation, RevocationStage

from .models import CasePlan, CasePlanStatus, Litmas, LitmasStatus
from .selectors import LITMAS_LISTED


def waiting_for_tpp(office_id: int) -> dict[str, list]:
    plans = (CasePlan.objects.filter(status=CasePlanStatus.SUBMITTED, supervision__office_id=office_id, supervision__closed_on__isnull=True)
             .select_related("supervision__client", "supervision__officer").order_by("updated_at"))
    litmas = (Litmas.objects.filter(status=LitmasStatus.SUBMITTED, office_id=office_id)
              .select_related("client", "officer").only(*LITMAS_LISTED, "client", "client__full_name").order_by("due_on", "number"))
    revocations = (Revocation.objects.filter(stage=RevocationStage.REPORTED, supervision__office_id=office_id)
                   .select_related("supervision__client", "supervision__officer", "violation").order_by("report_date"))
    return {"plans": list(plans), "litmas": list(litmas), "revocations": list(revocations)}
