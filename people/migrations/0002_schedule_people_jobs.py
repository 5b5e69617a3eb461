"""Beat schedules for the people app: account erasure, closing opportunities, training reminders."""

from django.db import migrations

SCHEDULES = [
    # (name, task, minute, hour)
    ("Erase accounts after the cooling-off period", "people.tasks.erase_due_accounts", "45", "2"),
    ("Close opportunities past their closing date", "people.opportunity_tasks.close_expired_opportunities", "5", "0"),
    ("Training expiry reminders", "people.training_tasks.send_training_reminders", "30", "7"),
]


def add_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
        )
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "crontab": crontab, "enabled": True})


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[task for _, task, _, _ in SCHEDULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add_schedules, remove_schedules)]
