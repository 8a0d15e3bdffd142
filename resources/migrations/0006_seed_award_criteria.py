"""The award's eight minimum criteria, so a site that already exists has them (the release step's
`load_site_structure` leaves an existing site alone). A copy of `resources.structure.award_criteria()` as it was
written: later rewording belongs to editors, and to that function for new sites. Idempotent by number."""

from django.db import migrations

CRITERIA = [
    (1, 'learn', 'Learning about sanctuary', 'Staff, governors and pupils learn what it means to be seeking sanctuary: why people are forced to leave their homes, the journeys they make, and their right to sanctuary. Staff gain the know-how to welcome and support new arrivals well.'),
    (2, 'learn', 'Learning in the curriculum', 'Pupils learn about forced migration and the experiences of people seeking sanctuary in lessons across the curriculum, where you can from people with lived experience, and that learning changes how people in school think, talk and act.'),
    (3, 'embed', 'A welcome in policy and practice', 'Welcome and inclusion are part of your school’s policies and everyday practice, from how new arrivals and their families are welcomed and settled in to how staff put the policies into action.'),
    (4, 'embed', 'Wellbeing and belonging', 'Pupils and families seeking sanctuary are supported to feel safe, to belong and to thrive: help to learn and take part in school life, care for their wellbeing, and links to people and services who can help.'),
    (5, 'embed', 'Voices that shape the school', 'Pupils have a voice: they, including pupils who have sought sanctuary, help shape and lead the school’s welcome, and people with lived experience are listened to.'),
    (6, 'share', 'Sharing with families and the community', 'You share your vision of welcome with families and the wider community, so that people beyond the school understand it and support it.'),
    (7, 'share', 'Sharing with other schools', 'You share what you have learnt and done with other schools and the Schools of Sanctuary network, and encourage them to become Schools of Sanctuary.'),
    (8, 'share', 'A public commitment to welcome', 'Your school makes a public commitment to welcome, by signing the City of Sanctuary pledge and saying so on its website, and speaks up for sanctuary, for example in Refugee Week and with local sanctuary groups such as Coventry City of Sanctuary.'),
]


def seed(apps, schema_editor):
    Process = apps.get_model("resources", "Process")
    AwardCriterion = apps.get_model("resources", "AwardCriterion")
    processes = {process.slug: process for process in Process.objects.all()}
    for number, process, title, text in CRITERIA:
        if process in processes and not AwardCriterion.objects.filter(number=number).exists():
            AwardCriterion.objects.create(number=number, process=processes[process], short_title=title, what_it_asks=text)


class Migration(migrations.Migration):
    dependencies = [("resources", "0005_award_criteria_and_resource_criteria")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
