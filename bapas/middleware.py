from django.utils import timezone, translation

from .audit import current_ip


class UserPreferencesMiddleware:
    """Activates the signed-in user's language and their office's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            if user.office_id:
                timezone.activate(user.office.time_zone)
        response = self.get_response(request)
        timezone.deactivate()
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
