from django.urls import path

from . import views

app_name = "bapas"

urlpatterns = [
    path("hari-ini/", views.today, name="today"),
    path("notifikasi/", views.notifications, name="notifications"),
    path("notifikasi/<int:pk>/buka/", views.notification_open, name="notification_open"),
    path("akun/kata-sandi/", views.password_change, name="password_change"),
    path("akun/sesi/", views.session_ping, name="session_ping"),
    path("jejak-audit/", views.audit, name="audit"),
    path("pengaturan/", views.settings_home, name="settings"),
    path("pengaturan/status-tugas/", views.job_status, name="job_status"),
    path("pengaturan/kantor/", views.office_edit, name="office_edit"),
    path("pengaturan/jadwal-pengingat/", views.reminder_schedule, name="reminder_schedule"),
    path("pengaturan/pengguna/", views.user_list, name="user_list"),
    path("pengaturan/pengguna/baru/", views.user_create, name="user_create"),
    path("pengaturan/pengguna/<int:pk>/", views.user_edit, name="user_edit"),
    path("pengaturan/pengguna/<int:pk>/kata-sandi/", views.user_password_reset, name="user_password_reset"),
]
