"""Grow the authorisation matrix's world until every list its pages show holds about 50 rows.

`grow(world)` adds `EXTRA` more of everything the pages list, hung on the same programme, project
and personas that `build_world` made, so a page's second measurement shows the same objects plus 49
more of each. One grower per matrix topic (`GROWERS`, in TOPICS order): a new topic needs a grower,
and the query-count test says so.

All data is invented.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from coproduction.models import AuditEntry, Invitation
from coproduction.roles import Role, role_group
from people.models import EqualitySnapshot, Opportunity
from people.models.opportunities import ApplicationDecision
from people.models.profiles import PRIVACY_NOTICE_VERSION, Consent
from people.models.training import Course, TrainingBooking, TrainingRecord
from programmes import champions
from programmes.models import InvolvementPoint, LadderRating, LeaderDecision, Participant, Stage, TeamMembership
from recognition import services as recognition
from recognition.models import ExpenseItem, PaymentBatch, Receipt, Reward
from reporting.models import Frequency, Report, ReportSubscription, SelfAssessment, StepScore, WeDid
from tests.authorisation.rows.recognition import MATRIX_RECEIPT
from tests.authorisation.rows.reporting import _stored_report
from tests.factories import UserFactory
from tests.people.factories_opportunities import (
    ApplicationFactory,
    OpportunityFactory,
    PopulationFigureFactory,
    TagFactory,
)
from tests.people.factories_profiles import AccessNeedsFactory, EqualityMonitoringFactory, ProfileFactory
from tests.people.factories_training import CourseFactory, TrainingRecordFactory, TrainingSessionFactory, at
from tests.programmes.factories import (
    InvolvementPointFactory,
    ParticipantFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    days_from_today,
)
from tests.recognition.factories import level, make_log, png_bytes
from tests.reporting.factories import ScheduleFactory, WeDidFactory, YouSaidFactory, answered

EXTRA = 49


def _people(n, role, label):
    group = role_group(role)
    people = [UserFactory(name=f"{label} {i}", email=f"{label.lower()}.{i}@example.org") for i in range(n)]
    group.user_set.add(*people)
    return people


def grow_core(world, n):
    """Invitations, and the crowd of members and staff the later topics hang their rows on."""
    admin = world["people"]["administrator"]
    Invitation.objects.bulk_create(
        Invitation(email=f"invited.{i}@example.org", name=f"Invited Person {i}", role=Role.STAFF, invited_by=admin)
        for i in range(n)
    )
    crowd = _people(n, Role.MEMBER, "Crowd")
    for person in crowd:
        ProfileFactory(user=person)
        AccessNeedsFactory(user=person)
        EqualityMonitoringFactory(user=person)
    return {"crowd": crowd, "colleagues": _people(n, Role.STAFF, "Colleague")}


def grow_programmes(world, n):
    people, programme, project = world["people"], world["programme"], world["project"]
    staff, member = people["staff"], people["member"]
    # `staff` is on n more programmes, each of its own partner, with a project `member` takes part in.
    more_programmes, more_projects = [], []
    for i in range(n):
        other = ProgrammeFactory(partner=PartnerFactory(name=f"Partner organisation {i}"), name=f"Programme {i}")
        TeamMembership.objects.create(programme=other, user=staff, role=TeamMembership.Role.LEAD)
        more_programmes.append(other)
        more_projects.append(ProjectFactory(programme=other, lead=staff, name=f"Project {i}"))
    # n colleagues on the programme's team; n more projects in it, each with a participant.
    TeamMembership.objects.bulk_create(TeamMembership(programme=programme, user=c) for c in world["colleagues"])
    for i, person in enumerate(world["crowd"]):
        sibling = ProjectFactory(programme=programme, lead=world["colleagues"][i], name=f"Sibling project {i}")
        if i % 2:  # the rest have no plan yet, so they need attention
            InvolvementPointFactory(project=sibling)
        ParticipantFactory(project=sibling, member=person)
        # The crowd takes part in the project, and rated the point that happened.
        ParticipantFactory(project=project, member=person, involvement_level=level(3))
        LadderRating.objects.create(
            involvement_point=world["happened_point"], rated_by=person, rater_kind="participant", level=5
        )
    # n more points on the project's plan, across stages and states.
    for i in range(n):
        InvolvementPointFactory(
            project=project,
            title=f"Involvement point {i}",
            stage=list(Stage)[i % len(Stage)],
            status=InvolvementPoint.Status.HAPPENED if i % 2 else InvolvementPoint.Status.PLANNED,
            planned_date=days_from_today(-7 if i % 2 else 7 + i),
            involvement_level=level(3),
        )
    # `member` takes part in (or is invited to) every new project, each with points coming up.
    for i, other in enumerate(more_projects):
        ParticipantFactory(
            project=other,
            member=member,
            status=Participant.Status.INVITED if i % 5 == 0 else Participant.Status.ACTIVE,
            invited_by=staff,
        )
        InvolvementPointFactory(project=other, planned_date=days_from_today(10))
        InvolvementPointFactory(
            project=other, status=InvolvementPoint.Status.HAPPENED, planned_date=days_from_today(-3)
        )
    return {"more_programmes": more_programmes, "more_projects": more_projects}


def grow_champions(world, n):
    people = world["people"]
    staff, leader = people["staff"], people["leader"]
    review = timezone.localdate() + timedelta(days=200)
    # n more champions, listed publicly.
    for i, champion in enumerate(_people(n, Role.LEADER, "Champion")):
        champions.make_commitment(
            leader=champion, programme=world["more_programmes"][i], pledge=f"Pledge {i}", review_date=review
        )
    # `leader` is asked n more times for commitments and sign-offs, and has n more of their own.
    for i, other in enumerate(world["more_programmes"]):
        champions.request_commitment(by=staff, leader=leader, programme=other, message=f"Please champion {i}.")
        champions.request_sign_off(programme=other, leader=leader, by=staff, message=f"Please approve {i}.")
        champions.make_commitment(leader=leader, programme=other, pledge=f"My pledge {i}", review_date=review)
    # The history of the request and the sign-off the matrix points at.
    LeaderDecision.objects.bulk_create(
        LeaderDecision(commitment=world["commitment_request"], action="requested", by=staff, reason=f"Asked {i}")
        for i in range(n)
    )
    LeaderDecision.objects.bulk_create(
        LeaderDecision(sign_off_request=world["sign_off"], action="requested", by=staff, reason=f"Asked {i}")
        for i in range(n)
    )
    return {}


def grow_people(world, n):
    member = world["people"]["member"]
    profile = world["member_profile"]
    profile.lived_experience.add(*[TagFactory(name=f"Lived experience {i}") for i in range(n)])
    Consent.objects.bulk_create(
        Consent(user=member, action=Consent.Action.CONTACT_GIVEN, privacy_notice_version=PRIVACY_NOTICE_VERSION)
        for _ in range(n)
    )
    # What was done with their data (shown on "your data").
    AuditEntry.objects.bulk_create(
        AuditEntry(action="profile.updated", actor=member, subject_type="people.Profile", subject_id=profile.public_id)
        for _ in range(n)
    )
    return {}


def grow_opportunities(world, n):
    people, project, opportunity = world["people"], world["project"], world["opportunity"]
    staff, member = people["staff"], people["member"]
    topics = [TagFactory(name=f"Topic {i}") for i in range(n)]
    opportunity.topics.add(*topics)
    # n more open opportunities on the project; `member` has applied to each.
    for i in range(n):
        more = OpportunityFactory(project=project, title=f"Opportunity {i}", status=Opportunity.Status.OPEN)
        more.topics.add(topics[i])
        ApplicationFactory(opportunity=more, applicant=member)
    # The crowd applied to the opportunity; some have decisions, with reasons.
    for i, person in enumerate(world["crowd"]):
        application = ApplicationFactory(
            opportunity=opportunity, applicant=person, snapshot={"age_band": "35_44", "sex": "female"}
        )
        if i % 2:
            ApplicationDecision.objects.create(
                application=application, outcome="shortlisted", reason="Meets it", by=staff
            )
    ApplicationDecision.objects.bulk_create(
        ApplicationDecision(application=world["application"], outcome="shortlisted", reason=f"Reason {i}", by=staff)
        for i in range(n)
    )
    EqualitySnapshot.objects.filter(opportunity=opportunity).update(shortlisted=True)
    for i in range(n):
        PopulationFigureFactory(characteristic="ethnicity", category=f"group_{i}", share=Decimal("1.50"))
    return {}


def grow_recognition(world, n):
    people, project, point = world["people"], world["project"], world["point"]
    member, staff, finance = people["member"], people["staff"], people["finance"]
    today = timezone.localdate()
    # `member`: n more logs waiting, n more confirmed (each with a reward), n more claims, certificates.
    for i in range(n):
        make_log(member, project, day=today - timedelta(days=3 + i % 20), point=point if i % 3 == 0 else None)
        recognition.confirm_log(log=make_log(member, project, day=today - timedelta(days=4 + i % 20)), by=staff)
    for _ in range(n):
        claim = recognition.start_claim(member=member, project=project)
        recognition.add_expense_item(claim=claim, by=member, category="home", date=today, description="Data", amount=1)
        recognition.submit_claim(claim=claim, by=member)
    for _ in range(n):
        recognition.issue_certificate(member=member)
    # The claim the matrix points at holds n more items, each with a receipt.
    sent = world["recognition_sent_claim"]
    items = ExpenseItem.objects.bulk_create(
        ExpenseItem(claim=sent, category="travel", date=today, description=f"Bus fare {i}", amount=Decimal("2.50"))
        for i in range(n)
    )
    Receipt.objects.bulk_create(
        Receipt(
            item=item,
            file=MATRIX_RECEIPT,
            original_name="receipt.png",
            content_type="image/png",
            size=len(png_bytes()),
            uploaded_by=member,
        )
        for item in items
    )
    # The crowd had time confirmed (so rewarded); half of them at the point, so half are still to tick
    # on its attendance list. (The approvals queue holds `member`'s 50 logs and 50 claims: one full page.)
    rewards = []
    for i, person in enumerate(world["crowd"]):
        log = make_log(person, project, day=today - timedelta(days=6), point=point if i % 2 else None)
        rewards.append(recognition.confirm_log(log=log, by=staff))
    # Half the crowd's rewards are in the batch being built, half in the exported one.
    Reward.objects.filter(pk__in=[r.pk for r in rewards[::2]]).update(batch=world["recognition_built_batch"])
    Reward.objects.filter(pk__in=[r.pk for r in rewards[1::2]]).update(batch=world["recognition_exported_batch"])
    PaymentBatch.objects.bulk_create(
        PaymentBatch(
            reference=f"GROWN-{i:03d}",
            up_to=today - timedelta(days=30 + i),
            status=PaymentBatch.Status.PAID,
            built_by=finance,
            exported_by=finance,
            exported_at=timezone.now(),
            paid_by=finance,
            paid_at=timezone.now(),
        )
        for i in range(n)
    )
    return {}


def grow_training(world, n):
    people, course = world["people"], world["course"]
    staff, member = people["staff"], people["member"]
    crowd, colleagues = world["crowd"], world["colleagues"]
    courses = [
        CourseFactory(
            code=f"GROWN-{i}",
            title=f"Grown course {i}",
            audience=Course.Audience.BOTH,
            required_for=list(Course.RequiredFor)[i % len(Course.RequiredFor)],
        )
        for i in range(n)
    ]
    # The course runs n more times, ahead and past, each organised by `staff`; `member` books each.
    for i in range(n):
        ahead = TrainingSessionFactory(course=course, organiser=staff, starts_at=at(30 + i))
        TrainingSessionFactory(course=course, organiser=staff, starts_at=at(-10 - i))
        TrainingBooking.objects.create(session=ahead, person=member)
        TrainingSessionFactory(course=courses[i], organiser=staff, starts_at=at(40 + i))
    # `member` and the team have records of every new course.
    for i, other in enumerate(courses):
        TrainingRecordFactory(person=member, course=other)
        TrainingRecordFactory(person=colleagues[i], course=other)
        TrainingRecordFactory(person=staff, course=other, evidence=TrainingRecord.Evidence.IMPORTED)
    # The crowd booked the upcoming session (some on the waiting list) and came to the past one.
    for i, person in enumerate(crowd):
        TrainingBooking.objects.create(
            session=world["upcoming_session"],
            person=person,
            status=TrainingBooking.Status.WAITING if i % 4 == 0 else TrainingBooking.Status.BOOKED,
        )
        TrainingBooking.objects.create(session=world["past_session"], person=person)
        TrainingRecordFactory(person=person, course=course)
    return {}


def grow_reporting(world, n):
    people, programme, project = world["people"], world["programme"], world["project"]
    staff, member = people["staff"], people["member"]
    crowd = world["crowd"]
    # n more things said by `member` and by the crowd, half of them answered by n more "We did".
    for i in range(n):
        YouSaidFactory(programme=programme, project=project, member=member)
        said = YouSaidFactory(programme=programme, project=project, member=crowd[i])
        we_did = WeDidFactory(programme=programme, owner=world["colleagues"][i], status=WeDid.Status.IN_PROGRESS)
        if i % 2:
            answered(said, we_did)
        answered(YouSaidFactory(programme=programme, project=project, member=crowd[i]), world["reporting_we_did"])
    # A schedule on each of `staff`'s other programmes; `member` and the crowd subscribe.
    for other in world["more_programmes"]:
        schedule = ScheduleFactory(programme=other, frequency=Frequency.QUARTERLY)
        ReportSubscription.objects.create(schedule=schedule, user=member)
    schedule = world["reporting_schedule"]
    ReportSubscription.objects.bulk_create(ReportSubscription(schedule=schedule, user=p) for p in crowd)
    # n more months of reports on the schedule, and n more published reports.
    first = world["reporting_report"].period_start
    for i in range(1, n + 1):
        start = (first - timedelta(days=31 * i)).replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        _stored_report(programme=programme, schedule=schedule, period_start=start, period_end=end)
        _stored_report(
            programme=world["more_programmes"][i - 1],
            kind=Report.Kind.ON_DEMAND,
            period_start=start,
            period_end=end,
            published_at=timezone.now(),
            easy_read="We listened.",
        )
    # A self-assessment a month for n months.
    today = timezone.localdate()
    for i in range(n):
        assessment = SelfAssessment.objects.create(
            programme=programme, assessed_on=today - timedelta(days=30 * i), assessed_by=staff
        )
        StepScore.objects.bulk_create(
            StepScore(assessment=assessment, step=step, score=1 + (i + step) % 4, evidence="Minutes of the board")
            for step in range(1, 8)
        )
    return {}


def first_rows(world):
    """The first row of the few lists `build_world` leaves empty, so the small world shows 1 row of
    every list: a page rightly skips a query when there is nothing at all to show."""
    people = world["people"]
    PopulationFigureFactory(characteristic="ethnicity", category="white_british", share=Decimal("80.00"))
    for required_for, person in [
        (Course.RequiredFor.PROGRAMME_STAFF, people["staff"]),
        (Course.RequiredFor.MEMBERS, people["member"]),
    ]:
        course = CourseFactory(code=f"REQ-{required_for}", title=f"Required: {required_for}", required_for=required_for)
        TrainingRecordFactory(person=person, course=course)
    assessment = SelfAssessment.objects.create(
        programme=world["programme"],
        assessed_on=timezone.localdate() - timedelta(days=400),
        assessed_by=people["staff"],
    )
    StepScore.objects.bulk_create(
        StepScore(assessment=assessment, step=step, score=2, evidence="Our first look at ourselves")
        for step in range(1, 8)
    )
    return world


GROWERS = {
    "core": grow_core,
    "programmes": grow_programmes,
    "champions": grow_champions,
    "people": grow_people,
    "opportunities": grow_opportunities,
    "recognition": grow_recognition,
    "training": grow_training,
    "reporting": grow_reporting,
}


def grow(world, n=EXTRA):
    for grower in GROWERS.values():
        world.update(grower(world, n))
    return world
