"""Fixtures shared by the programme tests."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from programs.models import Programme
from tests.factories import SupervisionFactory


@pytest.fixture
def programme(pk):
    return Programme.objects.create(office=pk.office, name="Konseling kelompok", programme_type="konseling",
                                    facilitator_officer=pk, need_domains=["Sikap Anti-Sosial"], planned_sessions=8,
                                    planned_hours=Decimal("16"), capacity=50)


@pytest.fixture
def pks(pk):
    """Twenty hours of community service (pidana kerja sosial), started twenty days ago."""
    today = timezone.localdate()
    return SupervisionFactory(client__office=pk.office, officer=pk, legal_basis="PKS", community_service_hours=20,
                              start_date=today - datetime.timedelta(days=20), end_date=today + datetime.timedelta(days=300))
