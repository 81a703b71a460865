"""Filters of the assessments app's lists: the Litmas register."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from bapas.models import CASEWORKER_ROLES, User

from .models import LITMAS_OPEN, Litmas, LitmasKind, LitmasStatus


class LitmasFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Cari"), method="filter_q")
    year = django_filters.NumberFilter(label=gettext_lazy("Tahun"))
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Jenis"), choices=LitmasKind.choices)
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=LitmasStatus.choices)
    officer = django_filters.ModelChoiceFilter(label=gettext_lazy("PK penyusun"), queryset=User.objects.none())
    overdue = django_filters.BooleanFilter(label=gettext_lazy("Lewat batas waktu"), method="filter_overdue",
                                           widget=forms.CheckboxInput)

    class Meta:
        model = Litmas
        fields = ["q", "year", "kind", "status", "officer", "overdue"]

    def __init__(self, *args, office_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Every PK who ever wrote for the office, those no longer active too: the register keeps their Litmas.
        self.filters["officer"].queryset = (User.objects.filter(office_id=office_id, role__in=CASEWORKER_ROLES)
                                            .order_by("first_name", "username"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(register_number__icontains=value) | Q(client__full_name__icontains=value)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=LITMAS_OPEN, due_on__lt=timezone.localdate())
