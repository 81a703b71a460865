"""Every client view: the owner gets in, a same-office PK who is not assigned and an officer of
another office get a 404 (never a 403 that confirms the record exists), anonymous users go to login."""

import pytest
from django.urls import reverse

from tests.factories import SupervisionFactory, ViolationFactory


def _urls(supervision, violation, document):
    client_id = supervision.client_id
    return [
        ("clients:detail", client_id),
        ("clients:edit", client_id),
        ("clients:supervision_create", client_id),
        ("clients:document_upload", client_id),
        ("clients:supervision_edit", supervision.pk),
        ("clients:contact_create", supervision.pk),
        ("clients:violation_create", supervision.pk),
        ("clients:violation_edit", violation.pk),
        ("clients:document_download", document.pk),
    ]


SUPERVISOR_URLS = ["clients:supervision_assign", "clients:supervision_delegate", "clients:supervision_close"]


@pytest.fixture
def objects(supervision, pk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from clients.services import document_attach

    violation = ViolationFactory(supervision=supervision)
    upload = SimpleUploadedFile("sk.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    document = document_attach(by=pk, client=supervision.client, kind="decree", upload=upload)
    return supervision, violation, document


def _all_urls(objects):
    supervision = objects[0]
    return _urls(*objects) + [(name, supervision.pk) for name in SUPERVISOR_URLS]


@pytest.mark.django_db
def test_owner_opens_every_caseworker_view(objects, login, pk):
    client = login(pk)
    for name, arg in _urls(*objects):
        response = client.get(reverse(name, args=[arg]))
        assert response.status_code == 200, name


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pk2", "outsider", "outsider_supervisor"])
def test_out_of_scope_users_get_404_everywhere(objects, login, request, who):
    client = login(request.getfixturevalue(who))
    for name, arg in _all_urls(objects):
        assert client.get(reverse(name, args=[arg])).status_code == 404, name
        assert client.post(reverse(name, args=[arg]), {}).status_code == 404, name


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(objects, client):
    for name, arg in _all_urls(objects) + [("clients:list", None), ("clients:create", None)]:
        url = reverse(name, args=[arg] if arg else [])
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["supervisor", "head", "admin_user"])
def test_office_roles_read_every_client_of_their_office(objects, login, request, who):
    client = login(request.getfixturevalue(who))
    response = client.get(reverse("clients:detail", args=[objects[0].client_id]))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["head", "admin_user"])
def test_head_and_admin_cannot_write_client_files(objects, login, request, who):
    client = login(request.getfixturevalue(who))
    supervision, violation, _document = objects
    for name, arg in [
        ("clients:edit", supervision.client_id),
        ("clients:contact_create", supervision.pk),
        ("clients:violation_edit", violation.pk),
    ]:
        assert client.get(reverse(name, args=[arg])).status_code == 403, name
    assert client.get(reverse("clients:create")).status_code == 403


@pytest.mark.django_db
def test_only_a_supervisor_assigns_and_closes(objects, login, pk, supervisor):
    supervision = objects[0]
    for name in SUPERVISOR_URLS:
        assert login(pk).get(reverse(name, args=[supervision.pk])).status_code == 403
        assert login(supervisor).get(reverse(name, args=[supervision.pk])).status_code == 200


@pytest.mark.django_db
def test_delegation_gives_access_until_its_date(objects, login, pk2):
    import datetime

    from django.utils import timezone

    supervision = objects[0]
    url = reverse("clients:detail", args=[supervision.client_id])
    supervision.delegate = pk2
    supervision.delegated_until = timezone.localdate()
    supervision.save()
    assert login(pk2).get(url).status_code == 200
    supervision.delegated_until = timezone.localdate() - datetime.timedelta(days=1)
    supervision.save()
    assert login(pk2).get(url).status_code == 404


@pytest.mark.django_db
def test_caseload_lists_only_what_the_user_may_see(login, pk, pk2, supervisor, outsider):
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Milik Saya")
    SupervisionFactory(client__office=pk.office, officer=pk2, client__full_name="Milik Rekan")
    SupervisionFactory(client__office=outsider.office, officer=outsider, client__full_name="Kantor Lain")
    own = login(pk).get(reverse("clients:list")).content.decode()
    assert "Milik Saya" in own and "Milik Rekan" not in own and "Kantor Lain" not in own
    office_wide = login(supervisor).get(reverse("clients:list")).content.decode()
    assert "Milik Saya" in office_wide and "Milik Rekan" in office_wide and "Kantor Lain" not in office_wide
