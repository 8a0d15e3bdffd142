"""The Wagtail groups staff are put in, with least privilege, defined in code so every site has the same.

Each app says what its groups may do, as `admin_group_permissions` on its AppConfig: a mapping from group
name to "app_label.codename" model permissions. The base app adds page and collection permissions for
Editors. `ensure_admin_groups` (run by the release step and by `load_demo_content`) makes the groups match.

- Editors: pages, images, documents and the resource lists. Not event sign-ups, not the board: those hold
  teachers' names and emails, and come with their own groups.
- Moderators: the community board (posts, comments, blocked words) and nothing else; they cannot edit pages.
- Event sign-ups: see, change and export event registrations.
- Schools network (schools/apps.py): EMAS staff who run the award: see, add, change, delete and export schools,
  with their sanctuary leads' private contacts, and upload or choose pictures in the School pictures collection.

Wagtail's own first migration creates groups called "Editors" and "Moderators" that may edit, publish and
upload everywhere; ensuring the groups replaces those page and collection permissions too, so a moderator
here really cannot edit pages.

Reserved collections: an app may keep its uploads in a collection only named groups see, as
`admin_group_collections` on its AppConfig ({collection name: {group: ["app_label.codename", ...]}}); the
board keeps the public's photos there for Moderators. Wagtail's collection permissions flow down the tree, so
Editors' permissions on the root would reach it: `ReservedCollectionsPolicy` (the image permission policy,
registered by SecurityConfig.ready) stops a permission from reaching into a reserved collection from above; only
a permission given on the reserved collection itself (or inside it) does. Existing sites need nothing more than
the release step's `ensure_admin_groups`, which creates the collection if needed and gives the groups their
permissions on it.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

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


def reserved_collections():
    """{collection name: {group name: ["app_label.codename", ...]}} declared by the installed apps."""
    reserved = {}
    for config in apps.get_app_configs():
        for name, groups in getattr(config, "admin_group_collections", {}).items():
            reserved.setdefault(name, {}).update(groups)
    return reserved


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
        for name, groups in reserved_collections().items():
            collection = Collection.objects.filter(name=name).first() or root_collection.add_child(name=name)
            GroupCollectionPermission.objects.bulk_create(
                GroupCollectionPermission(group=result[group], collection=collection, permission=_permission(dotted))
                for group, permissions in groups.items()
                for dotted in permissions
            )
    return result


class ReservedCollectionsPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's image permission policy, except that no permission reaches into a reserved collection from an
    ancestor: only one given on the reserved collection (or inside it) does. Superusers still see everything."""

    def _reserved_paths(self):
        from wagtail.models import Collection

        return list(Collection.objects.filter(name__in=reserved_collections()).values_list("path", flat=True))

    @staticmethod
    def _inside(collection, path):
        return collection.path.startswith(path)

    def _collections_with_perm(self, user, actions):
        from wagtail.models import Collection

        reserved = self._reserved_paths()
        collections = Collection.objects.none()
        for permission in self._get_user_permission_objects_for_actions(user, actions):
            reach = Collection.objects.descendant_of(permission.collection, inclusive=True)
            for path in reserved:
                if not self._inside(permission.collection, path):
                    reach = reach.exclude(path__startswith=path)
            collections |= reach
        return collections

    def _check_perm(self, user, actions, collection=None):
        if collection is None or not (user.is_active and user.is_authenticated) or user.is_superuser:
            return super()._check_perm(user, actions, collection=collection)
        reserved = [path for path in self._reserved_paths() if self._inside(collection, path)]
        return any(
            self._inside(collection, permission.collection.path)
            and all(self._inside(permission.collection, path) for path in reserved)
            for permission in self._get_user_permission_objects_for_actions(user, actions)
        )


def register_image_permission_policy():
    """Called from SecurityConfig.ready(). Registered for the exact image class, so it wins over the policy
    wagtail.images registers (for the class and its subclasses) whatever the order the apps are ready in."""
    from wagtail.images import get_image_model
    from wagtail.permissions import register_permission_policy

    policy = ReservedCollectionsPolicy(
        get_image_model(), auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"
    )
    register_permission_policy(get_image_model(), policy, exact_class=True)
