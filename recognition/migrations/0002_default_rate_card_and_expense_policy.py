"""A first rate card and expenses policy, so the portal works on day one. INVENTED DEFAULTS, in the
spirit of NHS England's policy and ICS practice (level 3 by the hour; level 4 by the session; 45p a
mile; claims within 3 months; paid within 21 days). An administrator replaces them in the Django
admin by adding a new version with the date it takes effect."""

import datetime
from decimal import Decimal

from django.db import migrations

EFFECTIVE_FROM = datetime.date(2024, 4, 6)  # the start of a tax year, before any involvement is logged
CARD_NAME = "Starting rate card (invented defaults – check before use)"
LINES = [
    (3, "hour", Decimal("15.00")),
    (4, "half_day", Decimal("75.00")),
    (4, "full_day", Decimal("150.00")),
]


def add_defaults(apps, schema_editor):
    RateCard = apps.get_model("recognition", "RateCard")
    RateCardLine = apps.get_model("recognition", "RateCardLine")
    ExpensePolicy = apps.get_model("recognition", "ExpensePolicy")
    InvolvementLevel = apps.get_model("programmes", "InvolvementLevel")
    card, _created = RateCard.objects.get_or_create(
        effective_from=EFFECTIVE_FROM,
        defaults={
            "name": CARD_NAME,
            "full_day_minutes": 240,
            "notes": "Levels 1 and 2 get out-of-pocket expenses only. Level 3: £15 an hour. Level 4: £75 for a "
            "half day (under 4 hours), £150 for a full day (4 hours or more).",
        },
    )
    levels = {level.number: level for level in InvolvementLevel.objects.all()}
    for number, unit, amount in LINES:
        if number in levels:
            RateCardLine.objects.get_or_create(
                rate_card=card, level=levels[number], unit=unit, defaults={"amount": amount}
            )
    ExpensePolicy.objects.get_or_create(
        effective_from=EFFECTIVE_FROM,
        defaults={
            "mileage_rate": Decimal("0.45"),
            "claim_window_months": 3,
            "payment_target_days": 21,
            "notes": "Invented defaults: 45p a mile, claims within 3 months, paid within 21 days.",
        },
    )


def remove_defaults(apps, schema_editor):
    RateCard = apps.get_model("recognition", "RateCard")
    ExpensePolicy = apps.get_model("recognition", "ExpensePolicy")
    # Only if nothing was priced with them: money records keep their rates.
    RateCard.objects.filter(effective_from=EFFECTIVE_FROM, name=CARD_NAME, rewards__isnull=True).delete()
    ExpensePolicy.objects.filter(effective_from=EFFECTIVE_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0001_initial"),
        ("programmes", "0004_nhs_england_involvement_levels"),
    ]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
