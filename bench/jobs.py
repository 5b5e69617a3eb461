"""In-process timings for `make bench`, against the bench database (bench/run.py imports this module
after django.setup() and calls each job once; every job returns a one-line result).

Each row of JOBS is (label, target, run): the order bench/run.py unpacks them in. A job whose code is
not built yet raises NotImplementedError, which the report shows as "not built".

Run on its own against any seeded database:
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/seedtrial .venv/bin/python -m bench.jobs
"""

import datetime
import gc
import json
import tempfile
import time
import tracemalloc

from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone


def _frozen_batches() -> list[tuple[int, object]]:
    """Exported or paid batches with their number of lines (rewards and expense items), biggest first."""
    from recognition.models import ExpenseItem, PaymentBatch, Reward

    frozen = [PaymentBatch.Status.EXPORTED, PaymentBatch.Status.PAID]
    lines = {}
    for model in (Reward, ExpenseItem):
        for batch_id, n in (
            model.objects.filter(batch__status__in=frozen).values_list("batch").annotate(n=Count("pk")).order_by()
        ):
            lines[batch_id] = lines.get(batch_id, 0) + n
    batches = PaymentBatch.objects.in_bulk(list(lines))
    return sorted(((n, batches[pk]) for pk, n in lines.items()), key=lambda row: (-row[0], row[1].pk))


def _stream_payroll(batch) -> tuple[int, int]:
    """Consume the payroll download as the finance view sends it. Returns (payee rows, bytes)."""
    from django.http import StreamingHttpResponse

    from recognition import exports

    response = StreamingHttpResponse(
        exports.stream_csv(exports.payroll_rows(batch)), content_type="text/csv; charset=utf-8"
    )
    rows = size = 0
    for chunk in response:
        rows += 1
        size += len(chunk)
    response.close()
    return rows - 1, size  # less the header


def _peak_memory(job) -> tuple[object, int]:
    """(job's result, peak memory it allocated in bytes, as tracemalloc sees it)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = job()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def payroll_export() -> str:
    """The biggest exported batch's payroll file, streamed. Memory is measured on a first pass (which
    also warms the database), time on a second pass without tracemalloc (it slows Python down).
    The smallest batch's peak is shown beside it: flat memory means the two are about the same."""
    batches = _frozen_batches()
    if not batches:
        return "no exported batch in the bench database"
    lines, batch = batches[0]
    (rows, size), peak = _peak_memory(lambda: _stream_payroll(batch))
    started = time.perf_counter()
    _stream_payroll(batch)
    seconds = time.perf_counter() - started
    small_lines, small = batches[-1]
    (small_rows, _size), small_peak = _peak_memory(lambda: _stream_payroll(small))
    return (
        f"{seconds:.2f} s for {rows:,} rows ({lines:,} lines, {size / 1e6:.1f} MB of CSV, batch {batch.reference}); "
        f"peak memory +{peak / 1e6:.1f} MB (smallest batch, {small_rows:,} rows: +{small_peak / 1e6:.1f} MB)"
    )


def member_data_export() -> str:
    """The "download your data" file of the member with the most involvement logs: every personal-data
    section, and the JSON the view sends. In a transaction rolled back afterwards (the export audits its
    reads). Timed twice; the second, warm, run is the figure."""
    from django.contrib.auth import get_user_model

    from people import personal_data
    from recognition.models import InvolvementLog

    busiest = InvolvementLog.objects.values_list("member").annotate(n=Count("pk")).order_by("-n", "member").first()
    if busiest is None:
        return "no involvement logs in the bench database"
    member_id, logs = busiest
    user = get_user_model().objects.get(pk=member_id)
    timings = []
    for _run in range(2):
        with transaction.atomic():
            started = time.perf_counter()
            body = json.dumps(personal_data.export_for(user), indent=2, ensure_ascii=False, default=str)
            timings.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return (
        f"{timings[-1]:.2f} s (first run {timings[0]:.2f} s) for a member with {logs:,} involvement logs: "
        f"{len(personal_data.SECTIONS)} sections, {len(body.encode()) / 1e3:,.0f} kB of JSON"
    )


def _last_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last complete calendar quarter (January–March, April–June, …) before `today`."""
    this_quarter = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = this_quarter - datetime.timedelta(days=1)
    return datetime.date(end.year, end.month - 2, 1), end


def quarterly_report() -> str:
    """The "We said, We did" report of the busiest programme (most involvement logs) for the last
    complete quarter: figures, HTML, PDF and CSV, as the worker builds it. Files go to a temporary
    folder and nothing is saved."""
    try:
        from reporting import services
    except ImportError as error:
        raise NotImplementedError("reporting.services.build_report not available") from error
    build_report = getattr(services, "build_report", None)
    if build_report is None:
        raise NotImplementedError("reporting.services.build_report not available")
    from programmes.models import Programme
    from reporting.models import Report

    programme = Programme.objects.annotate(n=Count("projects__involvement_logs")).order_by("-n", "pk").first()
    if programme is None:
        return "no programme in the bench database"
    start, end = _last_quarter(timezone.localdate())
    report = Report(programme=programme, kind=Report.Kind.ON_DEMAND, period_start=start, period_end=end)
    runs = []
    # Twice: the first build in a process also loads WeasyPrint's fonts, as a worker's first report does.
    for _ in range(2):
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media), transaction.atomic():
            started = time.perf_counter()
            build_report(report)
            runs.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return (
        f"{runs[1]:.2f} s (first in the process {runs[0]:.2f} s) for {programme.name}, "
        f"{start:%-d %B} to {end:%-d %B %Y} (HTML, PDF and CSV)"
    )


def review_figures_afresh() -> str:
    """The seven-steps review figures of the busiest programme for the last 12 months, worked out
    afresh: what a visitor waits for when the page's kept figures have expired (the benchmark's
    page figures are mostly served from the kept copy)."""
    from programmes.models import Programme
    from reporting import indicators

    programme = Programme.objects.annotate(n=Count("projects")).order_by("-n", "pk").first()
    if programme is None:
        return "no programme in the bench database"
    end = timezone.localdate()
    start = end - datetime.timedelta(days=365)
    indicators.seven_steps(programme=programme, start=start, end=end)  # warm the connection
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        indicators.seven_steps(programme=programme, start=start, end=end)
        runs.append(time.perf_counter() - started)
    return f"{min(runs) * 1000:.0f} ms (best of 5) for {programme.name}, 12 months"


JOBS = [
    ("Payroll export of 10,000 rows, streamed", "under 3 s, flat memory", payroll_export),
    ("Member data export", "under 1 s", member_data_export),
    ("Quarterly programme report", "under 2 s", quarterly_report),
    ("Seven-steps review figures worked out afresh", "kept 5 minutes (page: see table)", review_figures_afresh),
]


if __name__ == "__main__":
    from bench.run import django_setup

    django_setup()
    for label, target, run in JOBS:
        try:
            result = run()
        except NotImplementedError as reason:
            result = f"not built: {reason}"
        print(f"{label}: {result} (target: {target})")
