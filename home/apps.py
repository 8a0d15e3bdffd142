from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"
    # Page, image and document permissions for Editors are added by security/admin_groups.py.
    admin_group_permissions = {"Editors": {"wagtailadmin.access_admin"}}
