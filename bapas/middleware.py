import logging
import time

from django.conf import settings
from django.db import DatabaseError
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from .audit import current_ip
from .reminders import settle_for

logger = logging.getLogger(__name__)


class UserPreferencesMiddleware:
    """Activates the language and time zone for the request.

    Language: the signed-in user's choice, else the choice in the language cookie, else Bahasa
    Indonesia. The browser's Accept-Language is ignored on purpose: most office computers run an
    English browser, and the product speaks Indonesian unless someone chooses otherwise.
    Time zone: the user's office (WIB, WITA or WIT); for an account with no office (a Kanwil's), its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        language = user.language if signed_in else request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        if signed_in and (user.office_id or user.time_zone):
            timezone.activate(user.office.time_zone if user.office_id else user.time_zone)
        response = self.get_response(request)
        timezone.deactivate()
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class RequestContextMiddleware:
    """Makes the client address available to the audit trail for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class IdleSessionMiddleware:
    """A signed-in session ends after SESSION_COOKIE_AGE idle seconds. Saving the session on every
    request would renew it at the cost of a database write per page; renewing it once a minute keeps
    the same rule to within that minute."""

    RENEW_AFTER_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if "_auth_user_id" in session:
            now = int(time.time())
            if now - session.get("renewed_at", 0) >= self.RENEW_AFTER_SECONDS:
                session["renewed_at"] = now  # marks the session modified: saved with a fresh expiry
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A password an admin chose (a new account's first, or a reset) is known to two people. Until its
    owner chooses their own, every page leads to the change form; signing out and switching the
    language still work."""

    ALLOWED_VIEWS = {"bapas:password_change", "bapas:session_ping", "logout", "set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if user.is_authenticated and user.must_change_password and request.resolver_match.view_name not in self.ALLOWED_VIEWS:
            return redirect("bapas:password_change")
        return None


class SettleNoticesMiddleware:
    """After a signed-in user's write goes through, their notices that are handled now are settled:
    the officer who logs the overdue contact, finishes the assessment or records the follow-up sees
    the bell clear on the very next page. A write that went through redirects (post/redirect/get); a
    form with errors, or the assessment's live score, answers 200 and costs nothing here. The view's
    transaction has committed by then (ATOMIC_REQUESTS wraps the view alone). Should settling fail,
    the write still stands and the hourly sweep settles."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method == "POST" and 300 <= response.status_code < 400 and user is not None and user.is_authenticated:
            try:
                settle_for(user)
            except DatabaseError:
                logger.warning("could not settle the notices of user %s; the next sweep will", user.pk, exc_info=True)
        return response
