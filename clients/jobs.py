import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from bapas.audit import audit_log, audit_log_each
from bapas.jobs import periodic_job

from .models import ClientDocument, Supervision


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


@periodic_job("clients.purge_withdrawn_documents", hour="3", minute="15")
def purge_withdrawn_documents() -> dict:
    """Deletes the stored files of documents withdrawn more than WITHDRAWN_DOCUMENT_DAYS ago. A file is
    marked purged only after it is deleted, so a run that stops part-way leaves the rest for the next one."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.WITHDRAWN_DOCUMENT_DAYS)
    due = (ClientDocument.objects.filter(withdrawn_at__lt=cutoff, file_purged_at__isnull=True)
           .select_related("client__office").only("id", "file", "original_name", "client__office"))
    purged_by_office = defaultdict(list)
    for document in due.iterator(chunk_size=500):
        document.file.storage.delete(document.file.name)  # a file already gone is not an error
        purged_by_office[document.client.office].append(document)
    purged = [document.pk for documents in purged_by_office.values() for document in documents]
    ClientDocument.objects.filter(id__in=purged).update(file_purged_at=timezone.now())
    # One entry per document, in its office's trail, as the withdrawal was.
    for office, documents in purged_by_office.items():
        audit_log_each(actor=None, action="document.file_purge", office=office, entries=[
            (document, {"file": document.original_name, "days": settings.WITHDRAWN_DOCUMENT_DAYS}) for document in documents])
    return {"purged": len(purged)}
