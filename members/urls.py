from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("preferences/", views.preferences, name="preferences"),
    path("dashboard/", views.pipeline_dashboard, name="dashboard"),
    path("dashboard/pipeline.csv", views.pipeline_csv, name="dashboard-csv"),
    path("cases/<uuid:public_id>/", views.case_detail, name="case"),
    path(
        "cases/<uuid:public_id>/packs/<int:version>/",
        views.pack_download,
        name="pack",
    ),
]
