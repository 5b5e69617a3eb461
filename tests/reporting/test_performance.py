"""A quarterly programme report over the large seed builds in under 2 seconds, in a fixed number of
queries whatever the number of rows."""

import time
from datetime import date

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduction import demo
from programmes import demo as programmes_demo
from programmes.models import Programme
from reporting import demo as reporting_demo
from reporting import periods, services
from reporting.models import Frequency, Report

pytestmark = pytest.mark.django_db

# The queries build_report makes: the seven steps for the period (and the one before, for the
# changes), and the period's "You said" rows. None of them depends on how many rows there are.
MAX_QUERIES = 60


def quarterly_report(programme) -> Report:
    start, end = periods.previous_period(*periods.period_containing(timezone.localdate(), Frequency.QUARTERLY))
    return Report.objects.create(programme=programme, kind=Report.Kind.ON_DEMAND, period_start=start, period_end=end)


def build(report) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        services.build_report(report)
        elapsed = time.perf_counter() - started
    return len(queries), elapsed


@pytest.fixture
def large_seed():
    users = demo.seed_accounts()
    members = demo.seed_members(10_000)
    programmes_demo.seed_large(users, members)
    reporting_demo.seed_large(users, members)
    return Programme.objects.annotate(n=Count("you_said")).order_by("-n")


def test_a_quarterly_report_over_the_large_seed_is_fast_and_its_queries_do_not_grow(large_seed):
    busiest = large_seed.first()
    empty = Programme.objects.create(
        partner=busiest.partner, name="Nothing yet", purpose="-", start_date=date(2026, 1, 1)
    )
    build(quarterly_report(busiest))  # warm up: templates, fonts, WeasyPrint
    few, _ = build(quarterly_report(empty))
    many, elapsed = build(quarterly_report(busiest))
    assert busiest.n >= 150
    assert many == few, f"queries grew with rows: {few} for an empty programme, {many} for the busiest"
    assert many <= MAX_QUERIES
    assert elapsed < 2.0, f"a quarterly report took {elapsed:.2f} s"
