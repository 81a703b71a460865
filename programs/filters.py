import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.filters import offer_officers
from clients.forms import NOT_A_LISTED_OFFICER

from .models import FollowUp, FollowUpAnchor

# The follow-up list's tabs: each a test on the follow-ups, given today.
FOLLOW_UP_TABS = {
    "due": lambda today: Q(done_on__isnull=True, due_date__lte=today + datetime.timedelta(days=14)),
    "overdue": lambda today: Q(done_on__isnull=True, due_date__lt=today),
    "open": lambda today: Q(done_on__isnull=True),
    "done": lambda today: Q(done_on__isnull=False),
}
DEFAULT_TAB = "due"


class FollowUpFilter(django_filters.FilterSet):
    """The follow-up list: a tab (due within two weeks unless another is chosen), a search by the
    client, the follow-up's basis, and for office-wide roles the PK (the dashboard's drill-down)."""

    q = django_filters.CharFilter(label=_("Cari"), method="search")
    anchor = django_filters.ChoiceFilter(label=_("Dasar"), choices=FollowUpAnchor.choices)
    officer = django_filters.ModelChoiceFilter(label=_("PK"), field_name="supervision__officer", queryset=None,
                                               error_messages=NOT_A_LISTED_OFFICER)

    class Meta:
        model = FollowUp
        fields = ["q", "anchor", "officer"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.tab = self.data.get("show") if self.data.get("show") in FOLLOW_UP_TABS else DEFAULT_TAB
        offer_officers(self, user)

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).filter(FOLLOW_UP_TABS[self.tab](timezone.localdate()))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(supervision__client__full_name__icontains=value)
                               | Q(supervision__client__register_number__iexact=value))
