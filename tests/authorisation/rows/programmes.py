from programmes.models import InvolvementPoint, TeamMembership
from tests.authorisation.matrix import DENIED, HIDDEN, OK, REDIRECT, Row, only
from tests.programmes.factories import (
    InvolvementPointFactory,
    ParticipantFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
)


def build_world(world):
    """`staff` leads the programme; `member` takes part in its project; the others are strangers."""
    people = world["people"]
    partner = PartnerFactory(name="Northbrook Integrated Care Board")
    programme = ProgrammeFactory(partner=partner, name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=people["staff"], role=TeamMembership.Role.LEAD)
    project = ProjectFactory(programme=programme, lead=people["staff"], name="Pulmonary rehab closer to home")
    point = InvolvementPointFactory(project=project)
    happened = InvolvementPointFactory(project=project, status=InvolvementPoint.Status.HAPPENED, title="Workshop")
    participant = ParticipantFactory(project=project, member=people["member"])
    invitation = ParticipantFactory(
        project=ProjectFactory(programme=programme, lead=people["staff"]),
        member=people["member"],
        status="invited",
    )
    return {
        "partner": partner,
        "programme": programme,
        "project": project,
        "point": point,
        "happened_point": happened,
        "participant": participant,
        "participation_invitation": invitation,
    }


# Who sees a programme: its team (staff), any leader (read-only) and administrators.
# Staff off the team, members and finance get 404: they must not learn it exists.
SEE = {"staff": OK, "leader": OK, "administrator": OK}
CHANGE = only("staff", "administrator", others=HIDDEN, leader=DENIED)
VIEW = only(*SEE, others=HIDDEN)


def programme(world):
    return [world["programme"].public_id]


def project(world):
    return [world["project"].public_id]


def point(world):
    return [world["point"].public_id]


ROWS = [
    Row("programmes:list", get=only("staff", "other_staff", "leader", "administrator")),
    Row(
        "programmes:create",
        get=only("staff", "other_staff", "administrator"),
        post=only("staff", "other_staff", "administrator"),
    ),
    Row("programmes:detail", get=VIEW, args=programme),
    Row("programmes:edit", get=CHANGE, post=CHANGE, args=programme),
    Row("programmes:team", get=VIEW, post=CHANGE, args=programme),
    Row(
        "programmes:team_remove",
        get=None,
        # The only lead cannot be removed: the service refuses and says why.
        post=only("staff", "administrator", outcome=REDIRECT, others=HIDDEN, leader=DENIED),
        args=lambda world: [world["programme"].public_id, world["people"]["staff"].public_id],
    ),
    Row("programmes:project_create", get=CHANGE, post=CHANGE, args=programme),
    Row("programmes:project_detail", get=VIEW, args=project),
    Row("programmes:project_edit", get=CHANGE, post=CHANGE, args=project),
    Row("programmes:point_create", get=CHANGE, post=CHANGE, args=project),
    Row("programmes:point_edit", get=CHANGE, post=CHANGE, args=point),
    Row(
        "programmes:point_happened",
        get=None,
        post=only("staff", "administrator", outcome=REDIRECT, others=HIDDEN, leader=DENIED),
        args=point,
    ),
    Row("programmes:point_cancel", get=CHANGE, post=CHANGE, args=point),
    # Rating: staff on the project, and members who take part in it.
    Row(
        "programmes:point_rate",
        get=only("member", "staff", "administrator", others=HIDDEN, leader=DENIED),
        post=only("member", "staff", "administrator", others=HIDDEN, leader=DENIED),
        args=lambda world: [world["happened_point"].public_id],
    ),
    Row("programmes:participant_invite", get=CHANGE, post=CHANGE, args=project),
    # Administrators pass every permission (they are superusers): they see an empty list.
    Row("programmes:my_projects", get=only("member", "other_member", "administrator")),
    # Only the invited member can answer; anyone else gets 404.
    Row(
        "programmes:participation_respond",
        get=only("member", others=HIDDEN),
        post=only("member", others=HIDDEN),
        args=lambda world: [world["participation_invitation"].public_id],
    ),
    Row("programmes:partner_list", get=only("administrator")),
]
