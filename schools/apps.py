from django.apps import AppConfig

SCHOOLS_NETWORK = "Schools network"
SCHOOL_PICTURES_COLLECTION = "School pictures"


class SchoolsConfig(AppConfig):
    """The schools network: each Coventry school on the award journey, its award and renewal, and the public
    directory of the schools that chose to be listed. It builds on the base and the resource library (the award's
    criteria live there, shared with the library's facet); no other app imports it."""

    name = "schools"
    verbose_name = "Schools network"
    # EMAS staff who run the award see and change school records, with their leads' private contacts: a group of its
    # own, not Editors', so editing pages never brings the contacts with it, and managing schools never brings pages.
    # Delete: a school added twice or by mistake; a school that leaves the network is "lapsed" or unlisted instead.
    admin_group_permissions = {
        SCHOOLS_NETWORK: {
            "schools.view_school",
            "schools.add_school",
            "schools.change_school",
            "schools.delete_school",
        }
    }
    # Schools' logos and photos: a collection of their own, the only one this group may upload to and choose from
    # (security/admin_groups.py: a reserved collection), so the group needs no permission on the site's images.
    admin_group_collections = {
        SCHOOL_PICTURES_COLLECTION: {
            SCHOOLS_NETWORK: ["wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image"]
        }
    }
