from collections.abc import Callable

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import NOT_A_LISTED_OFFICER, caseworkers_of
from .models import LegalBasis, Stage, Supervision

# Filters other apps add to the caseload (assessments: without an approved case plan), so this app
# never imports them. Each is made fresh per request from its factory.
_extra_filters: dict[str, Callable[[], django_filters.Filter]] = {}


def register_caseload_filter(name: str, make: Callable[[], django_filters.Filter]) -> None:
    _extra_filters[name] = make


# Filters a dashboard figure links to and the list's form has no field for: the list keeps them
# while the officer searches within them, and shows each as a chip that can be taken off.
DRILL_DOWN_FILTERS = ("risk", "assessment_overdue", "unassessed", "no_approved_plan")


def offer_officers(filterset, user) -> None:
    """A list's PK filter: office-wide roles choose among the office's active caseworkers; a
    caseworker's list is their own, with no PK to choose."""
    if user.is_caseworker:
        filterset.filters.pop("officer")
    else:
        filterset.filters["officer"].queryset = caseworkers_of(user.office_id)


class CaseloadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    legal_basis = django_filters.ChoiceFilter(label=_("Dasar hukum"), choices=LegalBasis.choices)
    stage = django_filters.ChoiceFilter(label=_("Tahap"), choices=Stage.choices, method="filter_stage")
    overdue = django_filters.BooleanFilter(label=_("Kontak terlambat"), method="filter_overdue")
    officer = django_filters.ModelChoiceFilter(label=_("PK"), queryset=None, error_messages=NOT_A_LISTED_OFFICER)
    risk = django_filters.CharFilter(label=_("Tingkat risiko"), field_name="risk_level")
    assessment_overdue = django_filters.BooleanFilter(label=_("Asesmen terlambat"), method="filter_assessment_overdue")
    unassessed = django_filters.BooleanFilter(label=_("Belum diasesmen"), method="filter_unassessed")

    class Meta:
        model = Supervision
        fields = ["q", "legal_basis", "stage", "overdue", "officer", "risk", "assessment_overdue", "unassessed"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, make in _extra_filters.items():
            extra = self.filters[name] = make()
            extra.model, extra.parent = self.queryset.model, self
        offer_officers(self, user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(client__full_name__icontains=value)
            | Q(client__aliases__icontains=value)
            | Q(client__register_number__iexact=value)
            | Q(client__nik=value)
        )

    def filter_stage(self, queryset, name, value):
        return queryset.in_stage(value, timezone.localdate()) if value else queryset

    def filter_assessment_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(assessment_due__lt=today) if value else queryset.exclude(assessment_due__lt=today)

    def filter_unassessed(self, queryset, name, value):
        if value is None:
            return queryset
        # No risk level yet: the level the assessments app writes is empty until a first assessment.
        return queryset.filter(risk_level="") if value else queryset.exclude(risk_level="")

    def drill_downs(self) -> list[dict]:
        """The drill-down filters in force, each with what to show and the list without it."""
        chips = []
        for name in DRILL_DOWN_FILTERS:
            value = self.data.get(name)
            if name not in self.filters or value in (None, ""):
                continue
            others = self.data.copy()
            for dropped in (name, "page"):
                others.pop(dropped, None)
            shown = value if name == "risk" else (None if value == "true" else _("tidak"))
            chips.append({"name": name, "value": value, "label": self.filters[name].label, "shown": shown,
                          "remove_url": f"?{others.urlencode()}"})
        return chips

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(next_contact_due__lt=today) if value else queryset.filter(next_contact_due__gte=today)
