"""The admin's door: who may log in is `communes.access` ("admin.login"), not is_staff."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class KominAdminSite(admin.AdminSite):
    site_header = "Komin"

    def has_permission(self, request) -> bool:
        from communes.access import can

        user = request.user
        return bool(user.is_active and user.is_authenticated and can(user, "admin.login"))


class KominAdminConfig(AdminConfig):
    """django.contrib.admin with the site above as `admin.site`."""

    default_site = "communes.admin_site.KominAdminSite"
