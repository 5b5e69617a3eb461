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
