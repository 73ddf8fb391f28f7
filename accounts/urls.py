from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("sign-up/", views.SignUpView.as_view(), name="sign-up"),
    path("sign-up/check-your-email/", views.sign_up_done, name="sign-up-done"),
    path("confirm/resend/", views.resend_confirmation, name="confirm-resend"),
    path("confirm/resend/sent/", views.confirm_resent, name="confirm-resent"),
    path("confirm/<uidb64>/<token>/", views.confirm, name="confirm"),
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/create/", views.organisation_create, name="organisation-create"),
    path("organisation/change/", views.organisation_edit, name="organisation-edit"),
    path("organisation/join/", views.organisation_join, name="organisation-join"),
    path("organisation/new-code/", views.organisation_new_code, name="organisation-new-code"),
    path(
        "organisation/members/<int:user_id>/remove/",
        views.organisation_member_remove,
        name="organisation-member-remove",
    ),
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
