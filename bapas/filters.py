import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .audit import KINDS, actions_of_kind, registered_actions
from .days import day_start
from .models import AuditEntry, User


class AuditFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("Tanggal awal harus sebelum atau sama dengan tanggal akhir."))
        return data


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(label=_("Pengguna"), queryset=User.objects.none())
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=list(KINDS.items()), method="filter_kind")
    action = django_filters.ChoiceFilter(label=_("Tindakan"), choices=[])
    client = django_filters.NumberFilter(label=_("Klien"), field_name="client_pk")
    since = django_filters.DateFilter(label=_("Dari tanggal"), method="filter_since")
    until = django_filters.DateFilter(label=_("Sampai tanggal"), method="filter_until")

    class Meta:
        model = AuditEntry
        fields = ["actor", "kind", "action", "client", "since", "until"]
        form = AuditFilterForm

    def __init__(self, *args, office_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["actor"].queryset = User.objects.filter(office_id=office_id).order_by("first_name", "username")
        actions = sorted(((code, known.label) for code, known in registered_actions().items()), key=lambda pair: str(pair[1]))
        self.filters["action"].extra["choices"] = actions

    def filter_kind(self, queryset, name, value):
        return queryset.filter(action__in=actions_of_kind(value))

    def filter_since(self, queryset, name, value):
        return queryset.filter(at__gte=day_start(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(at__lt=day_start(value + datetime.timedelta(days=1)))
