from .base import *  # noqa: F401,F403
from .base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests write uploads to a throw-away folder that conftest sets per session.
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
AXES_FAILURE_LIMIT = 3
LOGGING = {"version": 1, "disable_existing_loggers": False}
