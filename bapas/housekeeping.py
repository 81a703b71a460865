"""Tidying that no user asks for but a national deployment needs."""

from django.contrib.sessions.models import Session
from django.utils import timezone

from .jobs import periodic_job


@periodic_job("bapas.clear_expired_sessions", hour="2", minute="45")
def clear_expired_sessions() -> dict:
    """Nightly; deletes sessions past their expiry (Django never does): with a few thousand officers
    signing in daily, the table would otherwise grow by hundreds of thousands of rows a year."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return {"deleted": deleted}
