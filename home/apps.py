from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"
    # Page, image and document permissions for Editors are added by home/admin_groups.py.
    admin_group_permissions = {"Editors": {"wagtailadmin.access_admin"}}

    def ready(self):
        from home import page_cache

        page_cache.connect_signals()
