from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("sign-up/", views.SignUpView.as_view(), name="sign-up"),
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/create/", views.organisation_create, name="organisation-create"),
    path("organisation/change/", views.organisation_edit, name="organisation-edit"),
    path("organisation/join/", views.organisation_join, name="organisation-join"),
    path("organisation/new-code/", views.organisation_new_code, name="organisation-new-code"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
]
