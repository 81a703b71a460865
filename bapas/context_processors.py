import functools

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import mark_safe

from .models import CASEWORKER_ROLES, CLIENT_WRITER_ROLES, OPEN_NOTICE, Notification, Role


def unread_notifications(request):
    """The bell's count of open notices: one small query per page for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(OPEN_NOTICE, recipient=user).count}


def navigation(request):
    """The main menu as HTML. It depends only on the language and the kind of user, so it is
    rendered once per combination rather than on every page: its dozen links and labels cost
    more than a small page's SQL."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"main_nav": lambda: _menu(translation.get_language(), get_script_prefix(), user.role, user.office_id is not None)}


@functools.lru_cache(maxsize=64)
def _menu(language: str, script_prefix: str, role: str, has_office: bool) -> str:
    # language and script_prefix are in the key because the links and labels depend on them.
    context = {
        "role": role,
        "caseworker": role in CASEWORKER_ROLES,
        "writer": has_office and role in CLIENT_WRITER_ROLES,
        "office_admin": has_office and role == Role.ADMIN,
    }
    return mark_safe(render_to_string("bapas/_nav.html", context))


def session_idle(request):
    """The idle time after which a session ends, for the script that keeps a working user's session
    alive and their unsent form safe (static/js/session.js)."""
    return {"session_idle_seconds": settings.SESSION_COOKIE_AGE}
