"""Helpers the programme tests share: participants enrolled, and sessions logged through the page."""

import datetime

from django.urls import reverse
from django.utils import timezone

from programs.models import Enrolment, ProgrammeSession
from programs.services import enrol
from tests.factories import SupervisionFactory

TODAY = timezone.localdate


def enrolled(programme, officer, count=1, **kwargs):
    out = []
    for _ in range(count):
        supervision = kwargs.get("supervision") or SupervisionFactory(client__office=officer.office, officer=officer)
        out.append(enrol(by=officer, enrolment=Enrolment(programme=programme, supervision=supervision,
                                                         referral_date=TODAY(), start_date=TODAY())))
    return out


def session_post(enrolments, statuses=None, hours="2", day=None):
    data = {"date": (day or TODAY()).isoformat(), "duration_hours": hours, "topic": "Mengelola emosi", "facilitator": "PK"}
    for index, enrolment in enumerate(enrolments):
        data[f"att-{enrolment.pk}"] = (statuses or ["present"] * len(enrolments))[index]
    return data


def logged(client, programme, enrolments, statuses=None, hours="2"):
    response = client.post(reverse("programs:session_log", args=[programme.pk]), session_post(enrolments, statuses, hours=hours))
    assert response.status_code == 302
    return ProgrammeSession.objects.latest("pk")


def logged_days_ago(client, programme, enrolments, days):
    data = session_post(enrolments, day=timezone.localdate() - datetime.timedelta(days=days))
    assert client.post(reverse("programs:session_log", args=[programme.pk]), data).status_code == 302
    return ProgrammeSession.objects.latest("pk")


def correction(session, enrolments, statuses, hours="2", reason="Durasi salah", **extra):
    data = {**session_post(enrolments, statuses, hours=hours, day=session.date), "topic": session.topic,
            "expected_version": session.version, "reason": reason}
    return {**data, **extra}
