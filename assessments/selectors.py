from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from bapas.models import CASEWORKER_ROLES, OFFICE_WIDE_ROLES
from clients.selectors import client_supervision_ids, supervisions_visible_to, visible

from .models import Assessment, InstrumentVersion, Litmas


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(visible(user, "supervision__"))


def assessment_get(*, user, pk) -> Assessment:
    # The corrected assessment and the override's decider are read only where there is one: joining
    # them always made the planner weigh a ten-table join on every page that shows an assessment.
    return get_object_or_404(
        assessments_visible_to(user).select_related("version__instrument", "supervision__client", "supervision__office", "assessor"),
        pk=pk,
    )


def client_assessments(*, user, client) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(supervision__in=client_supervision_ids(user=user, client=client))
        .select_related("version__instrument", "assessor")
        .defer("answers", "version__definition")
        .order_by("-assessed_on", "-id")
    )


def usable_versions() -> QuerySet[InstrumentVersion]:
    """The newest version of each instrument is offered for new assessments."""
    return InstrumentVersion.objects.select_related("instrument").order_by("instrument__code", "-version")


# What a list of Litmas shows: the register, a client's panel, the TPP's agenda. A Litmas row holds its
# report's ten sections of text: whole rows read and load all of it for a list that shows none.
LITMAS_LISTED = (
    "officer", "register_number", "year", "number", "kind", "status", "requested_by", "requested_on", "due_on",
    "tpp_date", "tpp_number", "officer__username", "officer__first_name", "officer__last_name",
)


def litmas_visible_to(user) -> QuerySet[Litmas]:
    """Office-wide roles: the office's register. A PK/APK: the Litmas they write, and those of the
    clients they supervise (the client's file shows them)."""
    if not user.is_authenticated or user.office_id is None:
        return Litmas.objects.none()
    in_office = Litmas.objects.filter(office_id=user.office_id)
    if user.role in OFFICE_WIDE_ROLES:
        return in_office
    if user.role in CASEWORKER_ROLES:
        return in_office.filter(Q(officer=user) | Q(client_id__in=supervisions_visible_to(user).values("client_id")))
    return Litmas.objects.none()


def litmas_get(*, user, pk) -> Litmas:
    return get_object_or_404(
        litmas_visible_to(user).select_related("client", "office", "officer", "supervision", "decided_by"), pk=pk)


def client_litmas(*, user, client) -> QuerySet[Litmas]:
    return (litmas_visible_to(user).filter(client=client).select_related("officer").only(*LITMAS_LISTED)
            .order_by("-year", "-number"))
