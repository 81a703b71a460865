"""Fixtures shared by the programme tests."""

from decimal import Decimal

import pytest

from programs.models import Programme


@pytest.fixture
def programme(pk):
    return Programme.objects.create(office=pk.office, name="Konseling kelompok", programme_type="konseling",
                                    facilitator_officer=pk, need_domains=["Sikap Anti-Sosial"], planned_sessions=8,
                                    planned_hours=Decimal("16"), capacity=50)
