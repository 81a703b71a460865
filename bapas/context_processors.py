from .models import Notification


def unread_notifications(request):
    """The bell's count: one small query per page for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count}
