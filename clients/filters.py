import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import caseworkers_of
from .models import LegalBasis, Stage, Supervision


class CaseloadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    legal_basis = django_filters.ChoiceFilter(label=_("Dasar hukum"), choices=LegalBasis.choices)
    stage = django_filters.ChoiceFilter(label=_("Tahap"), choices=Stage.choices, method="filter_stage")
    overdue = django_filters.BooleanFilter(label=_("Kontak terlambat"), method="filter_overdue")
    officer = django_filters.ModelChoiceFilter(label=_("PK"), queryset=None)
    risk = django_filters.CharFilter(label=_("Tingkat risiko"), field_name="risk_level")
    assessment_overdue = django_filters.BooleanFilter(label=_("Asesmen terlambat"), method="filter_assessment_overdue")

    class Meta:
        model = Supervision
        fields = ["q", "legal_basis", "stage", "overdue", "officer", "risk", "assessment_overdue"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_caseworker:
            self.filters.pop("officer")
        else:
            self.filters["officer"].queryset = caseworkers_of(user.office_id)

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

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(next_contact_due__lt=today) if value else queryset.filter(next_contact_due__gte=today)
