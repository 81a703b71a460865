"""Every page of the project, walked from the URL configuration: a visitor who has not signed in
is sent to the login page (or refused a method the page does not take), never shown the page. A
page added later without login_required fails here before it reaches an office."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.bapas.helpers import named_pages

# Pages meant for visitors: signing in and out, and choosing the language on the login page.
PUBLIC = {"login", "logout", "set_language"}


def test_the_walk_finds_the_pages():
    names = {name for name, _kwargs in named_pages()}
    assert len(names) > 80 and {"clients:detail", "litmas:list", "reports:monthly", "bapas:today"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), [page for page in named_pages() if page[0] not in PUBLIC])
def test_a_visitor_who_has_not_signed_in_is_sent_to_login(client, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url, follow=True)  # the home page sends on to a list, which asks for login
    if response.status_code == 405:  # a page that only takes a form's POST: the POST must ask for login too
        response = client.post(url, follow=True)
    assert response.redirect_chain, (name, response.status_code)
    assert response.redirect_chain[-1][0].startswith(reverse(settings.LOGIN_URL)), (name, response.redirect_chain)
