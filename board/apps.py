from django.apps import AppConfig

BOARD_COLLECTION_NAME = "Community board uploads"


class BoardConfig(AppConfig):
    name = "board"
    # Only moderators see the board's queue, and with it posters' private emails (see security/admin_groups.py).
    admin_group_permissions = {
        "Moderators": {
            "board.view_boardpost",
            "board.change_boardpost",
            "board.delete_boardpost",
            "board.view_boardcomment",
            "board.change_boardcomment",
            "board.view_blockedword",
            "board.add_blockedword",
            "board.change_blockedword",
            "board.delete_blockedword",
        }
    }

    # The public's photos (rejected ones too) are kept in a collection only Moderators see (security/admin_groups.py).
    admin_group_collections = {
        BOARD_COLLECTION_NAME: {"Moderators": ["wagtailimages.change_image", "wagtailimages.choose_image"]}
    }

    def ready(self):
        from . import signals

        signals.connect()
