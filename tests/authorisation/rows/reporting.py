"""Reporting: "You said / We did", reports and schedules, the seven-steps review, the public page.

`member` told us something about the project they take part in; `staff` is on the programme's
team and owns the "We did"; the report and schedule are the programme's, unpublished (only the
team, leaders and administrators see them); one other report is published (anyone sees it).
"""

from datetime import timedelta

from django.utils import timezone

from reporting.models import Frequency, Report
from reporting.services import report_folder
from tests.authorisation.matrix import DENIED, HIDDEN, REDIRECT, Row, only, public
from tests.reporting.factories import ScheduleFactory, WeDidFactory, YouSaidFactory, answered

MATRIX_FILES = "authorisation-matrix"


def _stored_report(**fields) -> Report:
    """A ready report whose files are one shared set, written once, so the matrix does not build
    (or fill the disk with) a PDF for every world."""
    report = Report.objects.create(status=Report.Status.READY, built_at=timezone.now(), **fields)
    folder = report_folder(report).parent / MATRIX_FILES
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in [("report.html", b"<p>Report</p>"), ("report.pdf", b"%PDF-1.7\n"), ("report.csv", b"a,b\n")]:
        if not (folder / name).exists():
            (folder / name).write_bytes(content)
    Report.objects.filter(pk=report.pk).update(
        html_file=f"{MATRIX_FILES}/report.html",
        pdf_file=f"{MATRIX_FILES}/report.pdf",
        csv_file=f"{MATRIX_FILES}/report.csv",
    )
    report.refresh_from_db()
    return report


def build_world(world):
    people = world["people"]
    programme, project = world["programme"], world["project"]
    item = YouSaidFactory(programme=programme, project=project, member=people["member"])
    we_did = WeDidFactory(programme=programme, owner=people["staff"])
    answered(YouSaidFactory(programme=programme, project=project, member=people["member"]), we_did)
    schedule = ScheduleFactory(programme=programme, frequency=Frequency.MONTHLY)
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    report = _stored_report(programme=programme, schedule=schedule, period_start=end.replace(day=1), period_end=end)
    published = _stored_report(
        programme=programme,
        kind=Report.Kind.ON_DEMAND,
        period_start=end - timedelta(days=89),
        period_end=end,
        published_at=timezone.now(),
        easy_read="We listened. We changed the class times.",
    )
    return {
        "reporting_item": item,
        "reporting_we_did": we_did,
        "reporting_schedule": schedule,
        "reporting_report": report,
        "reporting_published": published,
    }


def arg(key):
    return lambda world: [world[key].public_id]


def programme(world):
    return [world["programme"].public_id]


# On a programme: the team and administrators act; leaders read; everyone else must not learn it exists.
SEE = only("staff", "leader", "administrator", others=HIDDEN)
ACT = only("staff", "administrator", others=HIDDEN, leader=DENIED)
STAFF_SIDE = only("staff", "other_staff", "leader", "administrator")
MEMBERS = only("member", "other_member", "administrator")

ROWS = [
    # Members (administrators pass every permission: they see empty pages)
    Row("reporting:you_said_create", get=MEMBERS, post=MEMBERS),
    Row("reporting:my_you_said", get=MEMBERS),
    Row("reporting:my_subscriptions", get=MEMBERS),
    # Staff: "You said / We did" for a programme
    Row("reporting:you_said_list", get=SEE, args=programme),
    Row("reporting:you_said_record", get=ACT, post=ACT, args=programme),
    Row("reporting:we_did_create", get=ACT, post=ACT, args=programme),
    Row("reporting:we_did_edit", get=ACT, post=ACT, args=arg("reporting_we_did")),
    # Reports and schedules
    Row("reporting:schedules", get=STAFF_SIDE),
    Row(
        "reporting:schedule_create",
        get=only("staff", "other_staff", "administrator"),
        post=only("staff", "other_staff", "administrator"),
    ),
    Row("reporting:schedule_detail", get=SEE, args=arg("reporting_schedule")),
    # Subscribing: the team, leaders and administrators; members opt in (to published reports).
    Row(
        "reporting:schedule_subscribe",
        get=None,
        post=only("member", "other_member", "staff", "leader", "administrator", outcome=REDIRECT, others=HIDDEN),
        args=arg("reporting_schedule"),
    ),
    Row(
        "reporting:report_now",
        get=only("staff", "other_staff", "administrator"),
        post=only("staff", "other_staff", "administrator"),
    ),
    Row("reporting:report_detail", get=SEE, args=arg("reporting_report")),
    Row("reporting:report_pdf", get=SEE, args=arg("reporting_report")),
    Row("reporting:report_csv", get=SEE, args=arg("reporting_report")),
    Row("reporting:report_publish", get=ACT, post=ACT, args=arg("reporting_report")),
    # The seven-steps review
    Row("reporting:review", get=SEE, args=programme),
    Row("reporting:self_assessment", get=ACT, post=ACT, args=programme),
    Row("reporting:review_system", get=STAFF_SIDE),
    # Public
    Row("reporting:public_reports", get=public()),
    Row("reporting:public_report", get=public(), args=arg("reporting_published")),
    Row("reporting:public_report_pdf", get=public(), args=arg("reporting_published")),
    Row("reporting:public_report_csv", get=public(), args=arg("reporting_published")),
]
