"""Officers' admin for users (who sign in with their e-mail address) and organisations."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.forms import AdminUserAddForm, AdminUserChangeForm
from accounts.models import Organisation, User
from kcc_portal.admin_lists import LatestInline, ScaledAdmin


@admin.register(User)
class UserAdmin(ScaledAdmin, DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserAddForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("full_name", "organisation", "works_in")}),
        (
            "Roles and permissions",
            {
                "fields": (
                    "is_active",
                    "awaiting_confirmation",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
                "description": "Roles are groups. Officers (reviewers, commissioning officers, "
                "moderators and admins) need “Staff status” to reach this admin.",
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ("email", "full_name", "organisation", "role_names", "is_staff", "is_active")
    list_select_related = ("organisation",)
    list_filter = ("groups", "is_staff", "is_superuser", "is_active", "awaiting_confirmation")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    autocomplete_fields = ("organisation", "works_in")
    # Cleared only by following the emailed link (accounts/registration.py); an officer who
    # wants the account on ticks "Active".
    readonly_fields = ("awaiting_confirmation", "last_login", "date_joined")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def role_names(self, user):
        # Reads the prefetched groups: user.roles would query once per row.
        # None shows as the admin's usual empty value.
        return ", ".join(sorted(g.name for g in user.groups.all())) or None


class MemberInline(LatestInline, admin.TabularInline):
    """The organisation's people, read-only here: a user is changed on their own page. The
    latest 20 to join; the users' list, filtered by the organisation, has them all."""

    model = User
    fk_name = "organisation"
    fields = ("email", "full_name", "is_active")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name = "member"
    newest_first = ("-date_joined", "-pk")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(ScaledAdmin, admin.ModelAdmin):
    """Officers read organisations here, but never their joining codes: a code lets whoever
    holds it into the organisation's business cases, so only its own members see it (on their
    organisation page). It is left out of the form, the list, search and filtering."""

    exclude = ("join_code",)
    list_display = ("name", "body_type", "registration_number", "member_count", "created_at")
    # created_at as a filter, not a date_hierarchy: that reads every row's date on every page.
    list_filter = ("body_type", "created_at")
    search_fields = ("name", "registration_number")
    ordering = ("name",)
    readonly_fields = ("created_at",)
    inlines = (MemberInline,)

    def get_queryset(self, request):
        # A subquery for each organisation on the page, not a GROUP BY over every organisation
        # and member before the page is cut.
        members = (
            User.objects.filter(organisation=OuterRef("pk"))
            .order_by()
            .values("organisation")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0))
        )

    def lookup_allowed(self, lookup, value, request):
        # The admin lets a list be filtered by any field of the model from the URL, and
        # ?join_code__startswith=A would read a code out one character at a time.
        if lookup.split("__")[0] == "join_code":
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, organisation):
        return organisation.member_count
