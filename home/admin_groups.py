"""The Wagtail groups staff are put in, with least privilege, defined in code so every site has the same.

Each app says what its groups may do, as `admin_group_permissions` on its AppConfig: a mapping from group
name to "app_label.codename" model permissions. The base app adds page and collection permissions for
Editors. `ensure_admin_groups` (run by the release step and by `load_demo_content`) makes the groups match.

- Editors: pages, images, documents and the resource lists. Not event sign-ups, not the board: those hold
  teachers' names and emails, and come with their own groups.
- Moderators: the community board (posts, comments, blocked words) and nothing else; they cannot edit pages.
- Event sign-ups: see, change and export event registrations.

Wagtail's own first migration creates groups called "Editors" and "Moderators" that may edit, publish and
upload everywhere; ensuring the groups replaces those page and collection permissions too, so a moderator
here really cannot edit pages.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

EDITORS = "Editors"
MODERATORS = "Moderators"
EVENT_SIGN_UPS = "Event sign-ups"

ADMIN_ACCESS = "wagtailadmin.access_admin"
# On the root page (so the whole tree) and the root collection (so every image and document).
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]


def declared_group_permissions():
    """{group name: set of "app_label.codename"} gathered from every installed app that declares some."""
    groups = {}
    for config in apps.get_app_configs():
        for group, permissions in getattr(config, "admin_group_permissions", {}).items():
            groups.setdefault(group, {ADMIN_ACCESS}).update(permissions)
    return groups


def _permission(dotted):
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_admin_groups():
    """Create or correct the groups; model permissions are set exactly, so drift is undone. Returns the groups."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    result = {}
    for name, permissions in declared_group_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(dotted) for dotted in sorted(permissions)])
        result[name] = group
    # Page and collection permissions: only Editors have any, and exactly these, on the roots.
    GroupPagePermission.objects.filter(group__in=result.values()).delete()
    GroupCollectionPermission.objects.filter(group__in=result.values()).delete()
    editors = result[EDITORS]
    root_page = Page.get_first_root_node()
    if root_page is not None:
        GroupPagePermission.objects.bulk_create(
            GroupPagePermission(group=editors, page=root_page, permission=_permission(f"wagtailcore.{codename}"))
            for codename in EDITOR_PAGE_PERMISSIONS
        )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        GroupCollectionPermission.objects.bulk_create(
            GroupCollectionPermission(group=editors, collection=root_collection, permission=_permission(dotted))
            for dotted in EDITOR_COLLECTION_PERMISSIONS
        )
    return result
