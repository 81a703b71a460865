"""Every page that names an object, walked from the URL configuration, against one office's real
objects (the demo office and what the demo lacks). Users of another office, in every role, and a
Kanwil of another region get the same answer as for an object that does not exist, to a visit and
to a form sent: a 404, or a 403 that their role gets everywhere. Nothing tells them the object exists, and nothing is written or
audited for them. A page that shows a record of a client's file records who opened it. A page added
later that takes an object must be given one here, or this fails."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, CasePlan, Litmas
from bapas.audit import actions_of_kind
from bapas.models import AuditEntry, Notification, Office, Role, User
from clients.models import (
    ClientDocument,
    ClientImport,
    ClientTransfer,
    ClosureReason,
    Contact,
    ImportStatus,
    OffenceCategory,
    Revocation,
    Supervision,
    Violation,
)
from clients.services import supervision_close
from programs.models import CommunityServiceDay, Enrolment, FollowUp, FollowUpAnchor, Partner, PlannedSession, Programme, ProgrammeSession
from reports.models import MonthlyReport, ReportStatus
from tests.bapas.helpers import named_pages

from ..factories import OfficeFactory, RecidivismEventFactory, SupervisionFactory, UserFactory

MISSING = 2_000_000_000
REFUSED = {403, 404}


def fetch(client, user, url) -> int:
    """The page's answer; a page that only takes a form is sent an empty one (which is refused before it
    could be saved, or, for a button, is the action itself)."""
    client.force_login(user)
    status = client.get(url).status_code
    return client.post(url).status_code if status == 405 else status


def home_objects(home: Office, pk: User, admin: User) -> dict[str, object]:
    """One object of the home office for every kind of page, most of them in the demo PK's caseload."""
    supervision = Supervision.objects.filter(office=home, officer=pk, closed_on__isnull=True).select_related("client").first()
    client = supervision.client
    today = timezone.localdate()
    objects = {
        "client": client,
        "supervision": supervision,
        "service_supervision": Supervision.objects.filter(office=home, legal_basis="PKS").first(),
        "service_day": _service_day(home, pk),
        "contact": Contact.objects.filter(supervision=supervision).first(),
        "violation": Violation.objects.filter(supervision__officer=pk).first(),
        "revocation": Revocation.objects.filter(supervision__officer=pk).first(),
        "recidivism": RecidivismEventFactory(client=client, recorded_by=pk),
        "document": ClientDocument.objects.create(
            client=client, kind="decree", file=ContentFile(b"%PDF-1.4\n", name="putusan.pdf"), original_name="putusan.pdf",
            content_type="application/pdf", size=9, uploaded_by=pk),
        "import": ClientImport.objects.create(office=home, created_by=admin, file=ContentFile(b"x", name="klien.xlsx"),
                                              original_name="klien.xlsx", status=ImportStatus.DONE),
        "assessment": Assessment.objects.filter(supervision__officer=pk).first(),
        "plan_supervision": CasePlan.objects.create(supervision=supervision).supervision,
        "litmas": Litmas.objects.filter(office=home).first(),
        "programme": Programme.objects.filter(office=home).first(),
        "session": ProgrammeSession.objects.filter(programme__office=home).first(),
        "planned": PlannedSession.objects.filter(programme__office=home).first(),
        "partner": Partner.objects.filter(office=home).first(),
        "enrolment": Enrolment.objects.filter(programme__office=home).first(),
        "follow_up": FollowUp.objects.create(supervision=supervision, anchor=FollowUpAnchor.SUPERVISION_END, offset_months=3,
                                             due_date=today),
        "report": MonthlyReport.objects.create(office=home, month=datetime.date(2026, 1, 1), status=ReportStatus.DONE,
                                               xlsx=ContentFile(b"PK", name="laporan.xlsx")),
        "notification": Notification.objects.create(recipient=pk, kind="walk", object_type="client", object_id=str(client.pk),
                                                    due_date=today, title="Tindak lanjut", url=reverse("clients:detail", args=[client.pk])),
        "officer": pk,
        "offence_category": OffenceCategory.objects.filter(office=home).first(),
        "closed_supervision": _closed_recently(home, pk),
        "transfer": _asked_of(home, client),
    }
    assert all(objects.values()), [kind for kind, found in objects.items() if not found]
    return objects


def _asked_of(home: Office, client) -> ClientTransfer:
    """A third office asks the home office for a client's file."""
    asking = OfficeFactory()
    return ClientTransfer.objects.create(client=client, from_office=home, to_office=asking, register_number="X-1", reason="Pindah",
                                         requested_by=UserFactory(office=asking, role=Role.SUPERVISOR))


def _service_day(home: Office, pk: User) -> CommunityServiceDay:
    supervision = Supervision.objects.filter(office=home, legal_basis="PKS").first()
    return CommunityServiceDay.objects.create(supervision=supervision, date=supervision.start_date, hours=2, place="Taman",
                                              site_supervisor="Pak RT", activity="Menyapu", recorded_by=pk)


def _closed_recently(home: Office, pk: User) -> Supervision:
    """A supervision the Kasi closed today (not revoked), of a client with no other: one that can be reopened."""
    supervision = SupervisionFactory(client__office=home, officer=pk)
    return supervision_close(by=User.objects.filter(office=home, role=Role.SUPERVISOR).first(), supervision=supervision,
                             closed_on=timezone.localdate(), reason=ClosureReason.COMPLETED)


# Which object each page names.
PAGE_OBJECT = {
    **dict.fromkeys(["clients:detail", "clients:edit", "clients:timeline", "clients:history", "clients:card", "clients:agreement",
                     "clients:supervision_create", "clients:document_upload", "clients:recidivism_create", "litmas:create"], "client"),
    **dict.fromkeys(["clients:supervision_edit", "clients:supervision_assign", "clients:supervision_delegate", "clients:supervision_close",
                     "clients:contact_create", "clients:violation_create", "assessments:start", "programs:enrol"],
                    "supervision"),
    "programs:service_days": "service_supervision",
    **dict.fromkeys(["programs:service_day_correct", "programs:service_day_delete"], "service_day"),
    **dict.fromkeys(["assessments:plan", "assessments:plan_action"], "plan_supervision"),
    **dict.fromkeys(["clients:import_detail", "clients:import_confirm"], "import"),
    "clients:delete": "client",
    "clients:contact_correct": "contact",
    "clients:contact_delete": "contact",
    "clients:violation_delete": "violation",
    "clients:recidivism_delete": "recidivism",
    **dict.fromkeys(["clients:violation_edit", "clients:revocation_start"], "violation"),
    "clients:revocation_detail": "revocation",
    "clients:supervision_reopen": "closed_supervision",
    "clients:recidivism_edit": "recidivism",
    **dict.fromkeys(["clients:document_download", "clients:document_withdraw"], "document"),
    **dict.fromkeys(["assessments:detail", "assessments:edit", "assessments:score", "assessments:override", "assessments:correct",
                     "assessments:discard"],
                    "assessment"),
    **dict.fromkeys(["litmas:detail", "litmas:request_edit", "litmas:decide", "litmas:print"], "litmas"),
    **dict.fromkeys(["programs:programme_detail", "programs:programme_edit", "programs:session_log", "programs:schedule_add"],
                    "programme"),
    "programs:session_correct": "session",
    "programs:session_delete": "session",
    "programs:schedule_remove": "planned",
    "programs:partner_edit": "partner",
    "programs:follow_up_edit": "follow_up",
    "programs:enrolment_status": "enrolment",
    **dict.fromkeys(["reports:monthly_detail", "reports:monthly_download"], "report"),
    "bapas:notification_open": "notification",
    **dict.fromkeys(["reports:reassign", "bapas:user_edit", "bapas:user_password_reset"], "officer"),
    "clients_settings:offence_category_edit": "offence_category",
    **dict.fromkeys(["clients:transfer_detail", "clients:transfer_withdraw"], "transfer"),
}
OTHER_ARGUMENTS = {"reports:monthly_download": {"fmt": "xlsx"}}


def object_pages():
    return [name for name, kwargs in named_pages() if "pk" in kwargs]


def test_every_page_that_names_an_object_is_in_the_walk():
    assert set(object_pages()) == set(PAGE_OBJECT)


def walk(client, pages, objects, outsiders, insiders) -> tuple[list, list]:
    """(leaks, unreached): the pages that answered an outsider otherwise than for a missing object,
    and those no insider was answered otherwise by, which would make the walk prove nothing."""
    leaks, unreached = [], []
    for name in pages:
        arguments = OTHER_ARGUMENTS.get(name, {})
        real = reverse(name, kwargs={"pk": objects[PAGE_OBJECT[name]].pk, **arguments})
        missing = reverse(name, kwargs={"pk": MISSING, **arguments})
        audited = AuditEntry.objects.count()
        for user in outsiders:
            answer, answer_missing = fetch(client, user, real), fetch(client, user, missing)
            # And a form sent to it: a view may look the object up otherwise when it saves.
            sent, sent_missing = client.post(real).status_code, client.post(missing).status_code
            if answer != answer_missing or answer not in REFUSED or sent != sent_missing or sent not in REFUSED | {405}:
                leaks.append((name, user.username, answer, answer_missing, sent, sent_missing))
        assert AuditEntry.objects.count() == audited, name  # an outsider's request writes nothing, not even a view
        if not any(fetch(client, user, real) != fetch(client, user, missing) for user in insiders):
            unreached.append(name)
    return leaks, unreached


@pytest.fixture
def demo(db):
    """The demo's two offices; its Palembang office, with one object of every kind, is home."""
    call_command("seed_demo", stdout=io.StringIO())
    insiders = [User.objects.get(username=name) for name in ("demo.pk", "demo.supervisor", "demo.head", "demo.admin")]
    home = Office.objects.get(code="PLG")
    return {"home": home, "away": Office.objects.get(code="MKS"), "insiders": insiders,
            "objects": home_objects(home, insiders[0], insiders[-1])}


def test_another_office_gets_what_it_would_get_for_an_object_that_does_not_exist(client, demo):
    away = demo["away"]
    outsiders = [*User.objects.filter(office=away),
                 *(UserFactory(office=away, role=role) for role in (Role.APK, Role.HEAD, Role.ADMIN)),
                 UserFactory(office=None, role=Role.REGIONAL, region=away.region)]
    assert {user.role for user in outsiders} == {Role.PK, Role.APK, Role.SUPERVISOR, Role.HEAD, Role.ADMIN, Role.REGIONAL}
    leaks, unreached = walk(client, object_pages(), demo["objects"], outsiders, demo["insiders"])
    assert not leaks, leaks
    assert not unreached, unreached


# The kinds that belong to one client's file, which a PK sees only for a client in their caseload.
CASELOAD_KINDS = {"client", "supervision", "service_supervision", "service_day", "plan_supervision", "contact", "violation", "revocation",
                  "recidivism", "document", "assessment", "follow_up", "notification", "closed_supervision"}


def test_a_colleague_in_the_same_office_does_not_see_a_client_outside_their_caseload(client, demo):
    colleague = User.objects.get(username="demo.pk2")
    objects = demo["objects"]
    assert not Supervision.objects.filter(client=objects["client"], officer=colleague).exists()
    pages = [name for name in object_pages() if PAGE_OBJECT[name] in CASELOAD_KINDS]
    leaks, unreached = walk(client, pages, objects, [colleague], demo["insiders"])
    assert not leaks, leaks
    assert not unreached, unreached


# Forms that add a record to a client's file show the client's name, not a record of it.
ADDING = {"clients:supervision_create", "clients:document_upload", "clients:recidivism_create", "clients:contact_create",
          "clients:violation_create", "assessments:start", "litmas:create", "programs:enrol"}


def test_every_page_that_shows_a_record_of_a_clients_file_records_who_opened_it(client, demo):
    objects, insiders = demo["objects"], demo["insiders"]
    seen = actions_of_kind("view") + actions_of_kind("export")
    shown, unrecorded = set(), []
    for name in object_pages():
        if PAGE_OBJECT[name] not in CASELOAD_KINDS | {"litmas"} or name in ADDING:
            continue
        url = reverse(name, kwargs={"pk": objects[PAGE_OBJECT[name]].pk})
        for user in insiders[:2]:  # the client's PK, or the Kasi (who reads every Litmas of the office)
            before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
            client.force_login(user)
            if client.get(url).status_code == 200:
                shown.add(name)
                if not AuditEntry.objects.filter(id__gt=before, action__in=seen, actor=user).exists():
                    unrecorded.append(name)
                break
    assert not unrecorded, unrecorded
    # Pages that only take a form's POST (405), and those that send on (302), show nothing.
    assert {"clients:detail", "clients:edit", "clients:contact_correct", "clients:document_download", "assessments:plan",
            "litmas:detail", "programs:follow_up_edit", "programs:service_days"} <= shown
