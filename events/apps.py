from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    # Registrations hold teachers' names, emails and access needs: a group of their own, not part of Editors.
    admin_group_permissions = {
        "Event sign-ups": {"events.view_eventregistration", "events.change_eventregistration"},
    }

    def ready(self):
        from . import signals

        signals.connect()
