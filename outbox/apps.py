from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Mail that is never lost: every email the site sends is first stored in the outbox (in the same database
    transaction as what caused it), then delivered by the background worker with retries, exactly once per
    message; editors with the Mail permission see what was sent and what failed, and resend it."""

    name = "outbox"
    verbose_name = "Mail"
    default_auto_field = "django.db.models.BigAutoField"
    # security.admin_groups: least privilege for whoever watches the mail.
    admin_group_permissions = {"Mail": ["outbox.view_outboxmessage", "outbox.resend_outboxmessage"]}

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from .admin import OutboxPermissionPolicy
        from .models import OutboxMessage

        register_permission_policy(OutboxMessage, OutboxPermissionPolicy(OutboxMessage), exact_class=True)
