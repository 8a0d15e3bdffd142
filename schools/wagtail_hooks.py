"""The schools network in the admin: the audit log's journey moves (more to come: listing, dashboard)."""

from wagtail import hooks

from .models import MOVE_ACTION


@hooks.register("register_log_actions")
def register_journey_moves(actions):
    def message(log_entry):
        data = log_entry.data
        text = f"Moved from “{data.get('from_label')}” to “{data.get('to_label')}” on {data.get('on')}"
        return f"{text}: {data['note']}" if data.get("note") else text

    actions.register_action(MOVE_ACTION, "Move on the award journey", message)
