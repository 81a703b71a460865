from django.urls import path

from . import litmas_views as views

app_name = "litmas"

urlpatterns = [
    path("", views.litmas_list, name="list"),
    path("klien/<int:pk>/baru/", views.litmas_create, name="create"),
    path("<int:pk>/", views.litmas_detail, name="detail"),
    path("<int:pk>/permintaan/", views.litmas_request_edit, name="request_edit"),
    path("<int:pk>/keputusan/", views.litmas_decide, name="decide"),
    path("<int:pk>/cetak/", views.litmas_print, name="print"),
]
