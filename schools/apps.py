from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """The schools network: each Coventry school on the award journey, its award and renewal, and the public
    directory of the schools that chose to be listed. It builds on the base and the resource library (the award's
    criteria live there, shared with the library's facet); no other app imports it."""

    name = "schools"
    verbose_name = "Schools network"
    # EMAS staff who run the award see and change school records, with their leads' private contacts.
    admin_group_permissions = {
        "Schools network": {
            "schools.view_school",
            "schools.add_school",
            "schools.change_school",
            "schools.delete_school",
        }
    }
