"""Demo programmes: invented organisations and work, some plans strong and some weak."""

from datetime import timedelta

from django.utils import timezone

from programmes.models import (
    ChampionCommitment,
    InvolvementPoint,
    LadderLevel,
    LadderRating,
    LeaderDecision,
    Participant,
    PartnerOrganisation,
    Programme,
    Project,
    TeamMembership,
)

PARTNERS = [
    ("Northbrook Integrated Care Board", PartnerOrganisation.Kind.ICB),
    ("Northbrook Community Health NHS Trust", PartnerOrganisation.Kind.NHS_TRUST),
    ("Northbrook City Council", PartnerOrganisation.Kind.LOCAL_AUTHORITY),
    ("Carers Together Northbrook", PartnerOrganisation.Kind.VCSE),
]


def seed(users: dict) -> dict:
    """Create the sample programmes once; running it again changes nothing."""
    if Programme.objects.filter(name="Better Breathing").exists():
        return {"programme": Programme.objects.get(name="Better Breathing")}
    today = timezone.localdate()
    staff, staff2 = users["staff@example.org"], users["staff2@example.org"]
    member, member2 = users["member@example.org"], users["member2@example.org"]
    leader = users["leader@example.org"]
    partners = {
        name: PartnerOrganisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in PARTNERS
    }

    breathing = Programme.objects.create(
        partner=partners["Northbrook Community Health NHS Trust"],
        name="Better Breathing",
        purpose="Help people with lung conditions breathe easier and stay well at home.",
        start_date=today - timedelta(days=300),
        end_date=today + timedelta(days=700),
    )
    TeamMembership.objects.create(programme=breathing, user=staff, role=TeamMembership.Role.LEAD)
    TeamMembership.objects.create(programme=breathing, user=staff2, role=TeamMembership.Role.COPRODUCTION_LEAD)

    carers = Programme.objects.create(
        partner=partners["Carers Together Northbrook"],
        name="Carers' Voices",
        purpose="Make services work better for unpaid carers.",
        start_date=today - timedelta(days=120),
    )
    TeamMembership.objects.create(programme=carers, user=staff2, role=TeamMembership.Role.LEAD)

    # A strong plan: early, high on the ladder, with a point that happened and was rated.
    rehab = Project.objects.create(
        programme=breathing,
        name="Pulmonary rehab closer to home",
        purpose="Bring lung exercise classes into community centres so people do not travel to hospital.",
        lead=staff,
        stage="define",
        start_date=today - timedelta(days=250),
        end_date=today + timedelta(days=400),
    )
    listening = InvolvementPoint.objects.create(
        project=rehab,
        stage="discover",
        title="Listening event",
        decision="Which barriers to rehab classes we tackle first.",
        ladder_level=LadderLevel.ENGAGING,
        planned_date=today - timedelta(days=200),
        format=InvolvementPoint.Format.IN_PERSON,
        status=InvolvementPoint.Status.HAPPENED,
    )
    InvolvementPoint.objects.create(
        project=rehab,
        stage="define",
        title="Design the class timetable together",
        decision="Where and when classes run, and what they include.",
        ladder_level=LadderLevel.CO_DESIGN,
        planned_date=today + timedelta(days=21),
        format=InvolvementPoint.Format.BOTH,
    )
    InvolvementPoint.objects.create(
        project=rehab,
        stage="review",
        title="Review panel",
        decision="Whether the new classes carry on, and what changes.",
        ladder_level=LadderLevel.CO_PRODUCTION,
        planned_date=today + timedelta(days=350),
        format=InvolvementPoint.Format.IN_PERSON,
    )
    for person in (member, member2):
        Participant.objects.create(project=rehab, member=person, status=Participant.Status.ACTIVE, invited_by=staff)
    LadderRating.objects.create(involvement_point=listening, rated_by=staff, rater_kind="staff", level=5)
    LadderRating.objects.create(involvement_point=listening, rated_by=member, rater_kind="participant", level=4)

    # A weak plan: involvement only late and only consulting, and one point overdue.
    app = Project.objects.create(
        programme=breathing,
        name="Inhaler reminder app",
        purpose="Remind people to use their inhalers correctly.",
        lead=staff2,
        stage="deliver",
        start_date=today - timedelta(days=150),
        end_date=today + timedelta(days=200),
    )
    InvolvementPoint.objects.create(
        project=app,
        stage="deliver",
        title="Survey about the app",
        decision="Which reminder times the app offers.",
        ladder_level=LadderLevel.CONSULTING,
        planned_date=today - timedelta(days=10),
        format=InvolvementPoint.Format.ONLINE,
    )
    Participant.objects.create(project=app, member=member2, status=Participant.Status.INVITED, invited_by=staff2)

    Project.objects.create(
        programme=carers,
        name="Carers' breaks",
        purpose="Help unpaid carers get a break when they need one.",
        lead=staff2,
        stage="discover",
        start_date=today - timedelta(days=30),
    )

    commitment = ChampionCommitment.objects.create(
        leader=leader,
        programme=None,
        pledge="I will make sure every new service starts by listening to the people who will use it.",
        review_date=today + timedelta(days=180),
        status=ChampionCommitment.Status.ACTIVE,
    )
    LeaderDecision.objects.create(commitment=commitment, action=LeaderDecision.Action.MADE, by=leader)
    return {"programme": breathing}


def seed_large(users: dict, members: list, *, programmes=20, projects=400, points=4000) -> dict:
    """The benchmark's scale: 20 programmes, 400 projects, 4,000 involvement points, bulk-inserted."""
    import random

    rng = random.Random(2026)  # noqa: S311  (the same invented data every run, not security)
    today = timezone.localdate()
    staff = [users["staff@example.org"], users["staff2@example.org"]]
    partner = PartnerOrganisation.objects.get_or_create(
        name="Northbrook Integrated Care Board", defaults={"kind": PartnerOrganisation.Kind.ICB}
    )[0]
    new_programmes = Programme.objects.bulk_create(
        [
            Programme(
                partner=partner,
                name=f"Programme {i + 1:02d}",
                purpose="An invented programme for the benchmark.",
                start_date=today - timedelta(days=400),
            )
            for i in range(programmes)
        ]
    )
    new_programmes = list(Programme.objects.filter(name__startswith="Programme ").order_by("pk"))[-programmes:]
    TeamMembership.objects.bulk_create(
        [
            TeamMembership(programme=p, user=s, role="lead" if s == staff[0] else "member")
            for p in new_programmes
            for s in staff
        ]
    )
    stages = ["discover", "define", "develop", "deliver", "review"]
    Project.objects.bulk_create(
        [
            Project(
                programme=new_programmes[i % programmes],
                name=f"Project {i + 1:03d}",
                purpose="An invented project for the benchmark.",
                lead=staff[0],
                stage=stages[i % 5],
                start_date=today - timedelta(days=380),
                end_date=today + timedelta(days=400),
            )
            for i in range(projects)
        ],
        batch_size=1000,
    )
    new_projects = list(Project.objects.filter(programme__in=new_programmes).order_by("pk"))
    InvolvementPoint.objects.bulk_create(
        [
            InvolvementPoint(
                project=new_projects[i % len(new_projects)],
                stage=stages[rng.randrange(5)],
                title=f"Involvement point {i + 1}",
                decision="An invented decision people will shape.",
                ladder_level=rng.randint(3, 7),
                planned_date=today + timedelta(days=rng.randint(-360, 360)),
                format=InvolvementPoint.Format.BOTH,
                status=InvolvementPoint.Status.HAPPENED if rng.random() < 0.5 else InvolvementPoint.Status.PLANNED,
            )
            for i in range(points)
        ],
        batch_size=2000,
    )
    # Each member takes part in one or two projects.
    participants = []
    for index, member in enumerate(members):
        for project in {new_projects[index % len(new_projects)], new_projects[(index * 7) % len(new_projects)]}:
            participants.append(Participant(project=project, member=member, status=Participant.Status.ACTIVE))
    Participant.objects.bulk_create(participants, batch_size=5000)
    return {"programmes": new_programmes, "projects": new_projects}
