"""Beat schedule for reporting: every 15 minutes, make the reports that are due and send any pending
ones to the workers. Frequent, so a report is ready soon after its period ends and a period missed
while the broker was down is caught up soon after it returns; cheap when there is nothing to do."""

from django.db import migrations

NAME = "Produce due 'We said, We did' reports"
TASK = "reporting.tasks.enqueue_due_reports"


def add_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="*/15", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.update_or_create(name=NAME, defaults={"task": TASK, "crontab": crontab, "enabled": True})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_you_said_we_did_reports_and_reviews"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add_schedule, remove_schedule)]
