from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "board"
    # Only moderators see the board's queue, and with it posters' private emails (see home/admin_groups.py).
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

    def ready(self):
        from . import signals

        signals.connect()
