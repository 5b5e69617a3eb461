"""NHS England's four levels of involvement role (Working in partnership with people and communities)."""

from django.db import migrations

LEVELS = [
    (
        1,
        "Open-access engagement",
        "Taking part in something open to everyone, such as a survey or a meeting held in public.",
    ),
    (2, "One-off workshop or focus group", "Coming to a single workshop, focus group or event about one topic."),
    (3, "Regular working group", "Being a member of a group that meets regularly to shape a piece of work."),
    (4, "Senior strategic role", "A senior role, such as sitting on a board or programme group that makes decisions."),
]


def add_levels(apps, schema_editor):
    InvolvementLevel = apps.get_model("programmes", "InvolvementLevel")
    for number, name, description in LEVELS:
        InvolvementLevel.objects.update_or_create(number=number, defaults={"name": name, "description": description})


def remove_levels(apps, schema_editor):
    apps.get_model("programmes", "InvolvementLevel").objects.filter(number__in=[n for n, _, _ in LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_involvement_levels")]

    operations = [migrations.RunPython(add_levels, remove_levels)]
