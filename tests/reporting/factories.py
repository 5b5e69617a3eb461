"""Factories for reporting: "You said" items, "We did" actions, schedules and reports."""

import datetime

import factory
from django.utils import timezone

from reporting.models import Frequency, Report, ReportSchedule, Theme, WeDid, YouSaid


class YouSaidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YouSaid

    theme = Theme.ACCESS
    text = factory.Sequence(lambda n: f"The classes are too far from the bus stop ({n}).")
    said_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    source = YouSaid.Source.PORTAL


class WeDidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeDid

    action = "Move the classes to the community centre on the bus route."
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = WeDid.Status.PLANNED


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSchedule

    frequency = Frequency.QUARTERLY
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=200))


def answered(item, we_did, *, on=None):
    """Link an item to an action the way the service does (dates included)."""
    on = on or timezone.localdate()
    YouSaid.objects.filter(pk=item.pk).update(action=we_did, answered_on=on, days_to_answer=(on - item.said_on).days)
    item.refresh_from_db()
    return item


def ready_report(*, programme=None, schedule=None, start=None, end=None, **extra) -> Report:
    """A report built the real way (files under MEDIA_ROOT/reports) and marked ready."""
    from reporting import services

    end = end or timezone.localdate() - datetime.timedelta(days=1)
    start = start or end - datetime.timedelta(days=30)
    report = Report.objects.create(
        programme=programme,
        schedule=schedule,
        kind=Report.Kind.SCHEDULED if schedule else Report.Kind.ON_DEMAND,
        period_start=start,
        period_end=end,
        **extra,
    )
    services.build_report(report)
    report.status = Report.Status.READY
    report.built_at = timezone.now()
    report.save()
    return report
