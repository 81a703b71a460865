"""Signing in and finding the signed-in user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class OfficeUserBackend(ModelBackend):
    """Django's model backend, but the user of each request comes with their office in the same
    query: every page shows the office's name and works in its time zone."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("office").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
