"""The award's fixed vocabularies: the three processes and the audiences/phases."""

from django.db import migrations

PROCESSES = [
    ("learn", "Learn", "Learn about what it means to be seeking sanctuary."),
    (
        "embed",
        "Embed",
        "Take positive action to embed concepts of welcome, safety and inclusion within your school and the "
        "wider community.",
    ),
    ("share", "Share", "Share your vision and achievements - be proud!"),
]
AUDIENCES = [
    ("early-years", "Early years"),
    ("primary", "Primary"),
    ("secondary", "Secondary"),
    ("whole-school", "Whole school"),
    ("staff-governors", "Staff and governors"),
    ("parents-families", "Parents and families"),
]


def seed(apps, schema_editor):
    Process = apps.get_model("resources", "Process")
    Audience = apps.get_model("resources", "Audience")
    for order, (slug, name, description) in enumerate(PROCESSES):
        Process.objects.get_or_create(slug=slug, defaults={"name": name, "description": description, "sort_order": order})
    for order, (slug, name) in enumerate(AUDIENCES):
        Audience.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
