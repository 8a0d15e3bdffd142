"""Subject access and erasure requests: everything held about one email address, across every app."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from privacy.registry import erase_personal_data, export_personal_data, normalise_email


class Command(BaseCommand):
    help = (
        "`personal_data export EMAIL [--output FILE]` writes everything held about EMAIL as JSON; "
        "`personal_data erase EMAIL --yes` deletes or anonymises it (without --yes it only shows what it would do)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument("--output", help="export: write the JSON to this file instead of standard output.")
        parser.add_argument("--yes", action="store_true", help="erase: really erase (there is no undo).")

    def handle(self, *args, action, email, output=None, yes=False, **options):
        try:
            email = normalise_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        if action == "export":
            return self.export(email, output)
        return self.erase(email, yes)

    def export(self, email, output):
        document = {"email": email, "exported_at": timezone.now(), "data": export_personal_data(email)}
        text = json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Wrote {output} ({summary(document['data'])}).")
        else:
            self.stdout.write(text)

    def erase(self, email, yes):
        held = export_personal_data(email)
        if not yes:
            self.stdout.write(f"Held about {email}: {summary(held)}.")
            self.stdout.write("Nothing changed: run again with --yes to erase it.")
            return
        counts = erase_personal_data(email)
        done = ", ".join(f"{what}: {number}" for what, number in counts.items())
        self.stdout.write(f"Erased personal data of one address ({done}). Logged in the audit log as privacy.erase.")


def summary(data):
    parts = [f"{app}.{kind}: {len(rows)}" for app, kinds in data.items() for kind, rows in kinds.items()]
    return ", ".join(parts)
