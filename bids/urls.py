from django.urls import path

from bids import views

app_name = "bids"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("start/<slug:slug>/", views.start, name="start"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/sections/<slug:key>/", views.section, name="section"),
    path("<uuid:public_id>/sections/<slug:key>/autosave/", views.autosave, name="autosave"),
    path("<uuid:public_id>/documents/", views.document_list, name="documents"),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/",
        views.document_download,
        name="document",
    ),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/remove/",
        views.document_remove,
        name="document-remove",
    ),
    path("<uuid:public_id>/check/", views.check_answers, name="check"),
    path("<uuid:public_id>/submit/", views.submit, name="submit"),
    path("<uuid:public_id>/submitted/", views.submitted, name="submitted"),
    path("<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "<uuid:public_id>/clarifications/<int:pk>/",
        views.answer_clarification,
        name="clarification",
    ),
]
