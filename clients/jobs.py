from django.db.models import Q
from django.utils import timezone

from bapas.audit import audit_log
from bapas.jobs import periodic_job

from .models import Supervision


@periodic_job("clients.expire_delegations", hour="0", minute="30")
def expire_delegations() -> dict:
    """Ends delegations whose last day has passed, so lists no longer show them."""
    # Visibility already ignores expired delegations; this tidies the rows. The WIB date is the
    # earliest of the three zones', so no office loses a delegation before its own day ends.
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    expired = Supervision.objects.filter(Q(delegated_until__lt=today) | Q(delegate__isnull=True, delegated_until__isnull=False))
    ids = list(expired.values_list("id", flat=True))
    ended = Supervision.objects.filter(id__in=ids).update(delegate=None, delegated_until=None)
    if ended:
        # update() bypasses field history; the audit row records what changed.
        audit_log(actor=None, action="supervision.delegations_expired", detail={"supervisions": ids[:1000], "count": ended})
    return {"ended": ended}


@periodic_job("clients.pending_imports", hour="*", minute="*/15")
def pending_imports() -> dict:
    """Client import steps asked for on a page while the broker was down, or whose worker stopped part-way."""
    from .imports import stalled_steps, work

    batches = stalled_steps()
    for batch in batches:
        work(batch)
    return {"imports": len(batches)}
