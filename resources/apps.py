from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    # The resource library's lists (types, languages) are editors' work (see security/admin_groups.py), and so is
    # the wording of the award's criteria; there are always eight, made by the site structure, so none to add or
    # delete.
    admin_group_permissions = {
        "Editors": {
            "resources.add_resourcetype",
            "resources.change_resourcetype",
            "resources.delete_resourcetype",
            "resources.view_resourcetype",
            "resources.add_language",
            "resources.change_language",
            "resources.delete_language",
            "resources.view_language",
            "resources.change_awardcriterion",
            "resources.view_awardcriterion",
        },
    }
