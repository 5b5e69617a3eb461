"""Demo reporting data: a year of "You said" and "We did", report schedules with past reports, and
quarterly self-assessments, so the reports and trends have something real. Invented words only.

Call after programmes.demo.seed(users): `reporting.demo.seed(users)`; running it again changes
nothing. `seed_large(users, members)` adds the benchmark's volumes to programmes.demo.seed_large's
programmes, bulk-inserted.
"""

import random
from datetime import timedelta

from django.utils import timezone

from programmes.models import Programme, Project
from reporting import periods, services
from reporting.models import (
    Frequency,
    Report,
    ReportSchedule,
    ReportSubscription,
    SelfAssessment,
    Step,
    StepScore,
    Theme,
    WeDid,
    YouSaid,
)

SAID = [
    (Theme.ACCESS, "The rehab classes are two buses away. Could they be nearer to where we live?"),
    (Theme.COMMUNICATION, "The letter about my appointment came after the appointment date."),
    (Theme.INVOLVEMENT, "Meetings in the daytime are hard for carers who work."),
    (Theme.CARE, "I would like the exercises written down so I can do them at home."),
    (Theme.WAITING, "I waited four months for a first class."),
    (Theme.STAFF, "The physio listened to me and explained everything. Please keep that."),
    (Theme.ACCESS, "There is no step-free way into the hall at the leisure centre."),
    (Theme.COMMUNICATION, "Please send information in large print for people like me."),
    (Theme.INVOLVEMENT, "I did not know what happened to the ideas we gave at the listening event."),
    (Theme.OTHER, "The café at the centre could have a quiet area."),
]
DID = [
    (
        "Run two classes a week at Northbrook community centre, on the 12 and 14 bus routes.",
        "done",
        "Classes started at the community centre in the spring. 18 people now go there instead of the hospital.",
    ),
    (
        "Send appointment letters at least three weeks ahead, and by text message too.",
        "done",
        "Letters now go four weeks ahead, with a text reminder a week before.",
    ),
    (
        "Hold every other meeting in the evening, online and in person.",
        "done",
        "Half of our meetings are now at 6pm. Three carers have joined the group.",
    ),
    ("Give everyone a printed exercise sheet and a short video.", "in_progress", ""),
    ("Ask the hospital for more class places.", "not_possible", ""),
    (
        "Thank the team and share what people value in our training.",
        "done",
        "We shared the feedback with the whole team at our training day.",
    ),
    ("Ask the leisure centre to fit a ramp.", "planned", ""),
]
NOT_POSSIBLE = (
    "The hospital has no more rooms or staff for classes this year. We have asked again for next April's budget."
)
EASY_READ = (
    "You told us the classes were too far away.\n"
    "We moved some classes to the community centre.\n"
    "You told us letters came too late.\n"
    "Now letters come 4 weeks before.\n"
    "Some things we could not do yet. We say why in the report."
)


def _score_row(assessment, base: int):
    return [
        StepScore(
            assessment=assessment,
            step=step,
            score=max(1, min(4, base + (step % 3 == 0) - (step == 4))),
            evidence=f"Evidence for step {step}: see the figures on the review page and the team's notes.",
        )
        for step in Step.values
    ]


def _self_assessments(programme, by, *, count: int, today) -> None:
    for index in range(count):
        assessed_on = today - timedelta(days=91 * (count - 1 - index))
        assessment = SelfAssessment.objects.create(programme=programme, assessed_on=assessed_on, assessed_by=by)
        StepScore.objects.bulk_create(_score_row(assessment, base=1 + (index * 3) // max(count, 1)))


def seed(users: dict) -> dict:
    """A year of history for the demo programmes. Running it again changes nothing."""
    breathing = Programme.objects.filter(name="Better Breathing").first()
    if breathing is None or YouSaid.objects.filter(programme=breathing).exists():
        return {}
    today = timezone.localdate()
    staff, staff2 = users["staff@example.org"], users["staff2@example.org"]
    member, member2 = users["member@example.org"], users["member2@example.org"]
    leader, admin = users["leader@example.org"], users["admin@example.org"]
    rehab = Project.objects.filter(programme=breathing, name="Pulmonary rehab closer to home").first()

    # Thirty things people said over the year; most answered, grouped under seven actions.
    actions = []
    for index, (action, status, outcome) in enumerate(DID):
        started = today - timedelta(days=330 - index * 45)
        finished = status in {"done", "not_possible"}
        actions.append(
            WeDid.objects.create(
                programme=breathing,
                action=action,
                owner=staff if index % 2 == 0 else staff2,
                due_date=started + timedelta(days=60) if index != 6 else today - timedelta(days=5),
                status=status,
                outcome=outcome,
                not_possible_reason=NOT_POSSIBLE if status == "not_possible" else "",
                completed_on=started + timedelta(days=40) if finished else None,
                created_by=staff,
            )
        )
    for index in range(30):
        theme, text = SAID[index % len(SAID)]
        said_on = today - timedelta(days=360 - index * 12)
        action = actions[min(index // 4, len(actions) - 1)] if index < 26 else None
        answered_on = min(today, said_on + timedelta(days=7 + index % 9)) if action else None
        who = [member, member2, None][index % 3]
        YouSaid.objects.create(
            programme=breathing,
            project=rehab if index % 2 == 0 else None,
            theme=theme,
            text=text,
            said_on=said_on,
            source=YouSaid.Source.PORTAL if who else YouSaid.Source.INVOLVEMENT_POINT,
            member=who,
            recorded_by=who or staff,
            action=action,
            answered_on=answered_on,
            days_to_answer=(answered_on - said_on).days if action else None,
            told_answered_at=timezone.now() if action and who else None,
        )

    # A quarterly schedule for the programme, a year back, and a monthly one for the whole system.
    quarterly = ReportSchedule.objects.create(
        programme=breathing, frequency=Frequency.QUARTERLY, starts_on=today - timedelta(days=365), created_by=staff
    )
    for person in (staff, staff2, leader, member):
        ReportSubscription.objects.create(schedule=quarterly, user=person)
    system = ReportSchedule.objects.create(
        programme=None, frequency=Frequency.MONTHLY, starts_on=today - timedelta(days=60), created_by=admin
    )
    for person in (admin, leader):
        ReportSubscription.objects.create(schedule=system, user=person)

    # The programme's past quarterly reports, built now (no emails: this is history). The oldest
    # two are published. The system's monthly ones are left to the beat job, which catches them up.
    done = periods.complete_periods(quarterly.starts_on, quarterly.frequency, today=today)
    now = timezone.now()
    for number, (start, end) in enumerate(done):
        report = Report.objects.create(
            schedule=quarterly, programme=breathing, kind=Report.Kind.SCHEDULED, period_start=start, period_end=end
        )
        services.build_report(report)
        published = number < 2
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.READY,
            built_at=now,
            emailed_at=now,
            html_file=report.html_file,
            pdf_file=report.pdf_file,
            csv_file=report.csv_file,
            figures=report.figures,
            published_at=now if published else None,
            published_by=staff if published else None,
            published_email_at=now if published else None,
            easy_read=EASY_READ if published else "",
        )

    _self_assessments(breathing, staff, count=5, today=today)
    carers = Programme.objects.filter(name="Carers' Voices").first()
    if carers is not None:
        _self_assessments(carers, staff2, count=2, today=today)
    return {"schedule": quarterly}


def seed_large(users: dict, members: list, *, items_per_programme: int = 150) -> dict:
    """The benchmark's volumes on programmes.demo.seed_large's programmes: a year of "You said"
    (3,000 items), two thirds answered, quarterly schedules and self-assessments. Bulk-inserted."""
    rng = random.Random(2026)  # noqa: S311  (the same invented data every run, not security)
    today = timezone.localdate()
    staff = users["staff@example.org"]
    programmes = list(Programme.objects.filter(name__startswith="Programme ").order_by("pk"))
    if not programmes or YouSaid.objects.filter(programme=programmes[0]).exists():
        return {}
    projects = {}
    for project in Project.objects.filter(programme__in=programmes).order_by("pk"):
        projects.setdefault(project.programme_id, []).append(project)
    statuses = ["done", "done", "in_progress", "planned", "not_possible"]
    actions = []
    for programme in programmes:
        for index in range(items_per_programme // 3):
            status = statuses[index % len(statuses)]
            start = today - timedelta(days=rng.randint(10, 360))
            actions.append(
                WeDid(
                    programme=programme,
                    action=f"Invented action {index + 1} for the benchmark.",
                    owner=staff,
                    due_date=start + timedelta(days=rng.randint(20, 90)),
                    status=status,
                    outcome="An invented outcome." if status == "done" else "",
                    not_possible_reason="An invented honest reason." if status == "not_possible" else "",
                    completed_on=min(today, start + timedelta(days=30)) if status in {"done", "not_possible"} else None,
                    created_by=staff,
                )
            )
    WeDid.objects.bulk_create(actions, batch_size=2000)
    actions = list(WeDid.objects.filter(programme__in=programmes).order_by("pk"))
    by_programme = {}
    for action in actions:
        by_programme.setdefault(action.programme_id, []).append(action)
    items = []
    for programme in programmes:
        own_actions = by_programme[programme.pk]
        for index in range(items_per_programme):
            theme, text = SAID[rng.randrange(len(SAID))]
            said_on = today - timedelta(days=rng.randint(1, 365))
            action = own_actions[index % len(own_actions)] if index % 3 else None
            answered_on = min(today, said_on + timedelta(days=rng.randint(1, 40))) if action else None
            who = members[rng.randrange(len(members))] if members and index % 4 else None
            items.append(
                YouSaid(
                    programme=programme,
                    project=rng.choice(projects.get(programme.pk, [None])),
                    theme=theme,
                    text=text,
                    said_on=said_on,
                    source=YouSaid.Source.PORTAL if who else YouSaid.Source.INVOLVEMENT_POINT,
                    member=who,
                    action=action,
                    answered_on=answered_on,
                    days_to_answer=(answered_on - said_on).days if action else None,
                    told_answered_at=timezone.now() if action and who else None,
                )
            )
    YouSaid.objects.bulk_create(items, batch_size=2000)
    schedules = ReportSchedule.objects.bulk_create(
        [
            ReportSchedule(
                programme=programme,
                frequency=Frequency.QUARTERLY,
                starts_on=today - timedelta(days=365),
                created_by=staff,
            )
            for programme in programmes
        ]
    )
    schedules = list(ReportSchedule.objects.filter(programme__in=programmes))
    ReportSubscription.objects.bulk_create([ReportSubscription(schedule=s, user=staff) for s in schedules])
    assessments = SelfAssessment.objects.bulk_create(
        [
            SelfAssessment(programme=programme, assessed_on=today - timedelta(days=91 * n), assessed_by=staff)
            for programme in programmes
            for n in range(4)
        ]
    )
    assessments = list(SelfAssessment.objects.filter(programme__in=programmes).order_by("programme_id", "assessed_on"))
    StepScore.objects.bulk_create(
        [row for index, assessment in enumerate(assessments) for row in _score_row(assessment, base=1 + index % 4)],
        batch_size=2000,
    )
    return {"programmes": programmes, "schedules": schedules}
