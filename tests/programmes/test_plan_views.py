import pytest
from django.urls import reverse

from programmes.models import InvolvementPoint, LadderRating, Participant, Project
from tests.conftest import assert_flat_queries, make_person
from tests.programmes.factories import InvolvementPointFactory, ParticipantFactory, ProjectFactory, days_from_today

pytestmark = pytest.mark.django_db

NO_EARLY = "People are not involved before the develop stage"
LOW_LADDER = "Nothing in this plan goes above consulting"
OVERDUE = "in the past but still marked planned"
NO_PLAN = "This project has no co-production plan yet"


def point_data(**overrides):
    day = days_from_today(10)
    return {
        "title": "Listening event",
        "stage": "discover",
        "decision": "Which problems we work on first.",
        "ladder_level": "6",
        "planned_date-day": str(day.day),
        "planned_date-month": str(day.month),
        "planned_date-year": str(day.year),
        "format": "both",
        **overrides,
    }


def plan_page(client, project):
    return client.get(reverse("programmes:project_detail", args=[project.public_id])).content.decode()


def test_staff_add_a_project_with_a_lead_from_the_team(client_for, staff, programme):
    response = client_for(staff).post(
        reverse("programmes:project_create", args=[programme.public_id]),
        {
            "name": "Breathe Easy groups",
            "purpose": "Peer support groups for people with COPD.",
            "lead": staff.pk,
            "stage": "discover",
            "start_date-day": "1",
            "start_date-month": "5",
            "start_date-year": "2026",
            "status": "active",
        },
    )
    project = Project.objects.get(name="Breathe Easy groups")
    assert response.url == reverse("programmes:project_detail", args=[project.public_id])


def test_a_lead_from_outside_the_team_is_refused(client_for, staff, other_staff, programme):
    response = client_for(staff).post(
        reverse("programmes:project_create", args=[programme.public_id]),
        {
            "name": "X",
            "purpose": "Y",
            "lead": other_staff.pk,
            "stage": "discover",
            "status": "active",
            "start_date-day": "1",
            "start_date-month": "5",
            "start_date-year": "2026",
        },  # a fixed date is fine here
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Project.objects.filter(name="X").exists()


def test_a_new_project_is_told_it_has_no_plan(client_for, staff, project):
    assert NO_PLAN in plan_page(client_for(staff), project)


def test_staff_build_a_plan_of_three_points_and_the_weak_plan_warning_clears(client_for, staff, project):
    client = client_for(staff)
    url = reverse("programmes:point_create", args=[project.public_id])
    client.post(url, point_data(stage="deliver", ladder_level="3", title="Tell people about the service"))
    html = plan_page(client, project)
    assert NO_EARLY in html and LOW_LADDER in html

    client.post(url, point_data(stage="define", ladder_level="4", title="Survey"))
    html = plan_page(client, project)
    assert NO_EARLY not in html and LOW_LADDER in html

    client.post(url, point_data(stage="develop", ladder_level="7", title="Design the groups together"))
    html = plan_page(client, project)
    assert NO_EARLY not in html and LOW_LADDER not in html
    assert "This plan involves people early" in html
    assert project.involvement_points.count() == 3


def test_points_in_the_past_still_planned_are_flagged(client_for, staff, project):
    InvolvementPointFactory(project=project, planned_date=days_from_today(-30), ladder_level=7)
    assert OVERDUE in plan_page(client_for(staff), project)


def test_a_ladder_level_not_on_the_ladder_is_refused(client_for, staff, project):
    response = client_for(staff).post(
        reverse("programmes:point_create", args=[project.public_id]), point_data(ladder_level="9")
    )
    assert "Select a valid choice" in response.content.decode()
    assert not project.involvement_points.exists()


def test_a_planned_date_outside_the_project_is_refused_next_to_the_field(client_for, staff, project):
    response = client_for(staff).post(
        reverse("programmes:point_create", args=[project.public_id]),
        point_data(**{"planned_date-year": str(days_from_today(800).year + 1)}),
    )
    html = response.content.decode()
    assert "The planned date must fall within the project&#x27;s dates." in html
    assert 'href="#id_planned_date-day"' in html
    assert not project.involvement_points.exists()


def test_the_decision_people_can_influence_is_required(client_for, staff, project):
    response = client_for(staff).post(
        reverse("programmes:point_create", args=[project.public_id]), point_data(decision="")
    )
    assert "nhsuk-error-summary" in response.content.decode()
    assert not project.involvement_points.exists()


def test_cancelling_needs_a_reason_and_keeps_it(client_for, staff, project):
    point = InvolvementPointFactory(project=project)
    client = client_for(staff)
    url = reverse("programmes:point_cancel", args=[point.public_id])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    point.refresh_from_db()
    assert point.status == "planned"
    client.post(url, {"reason": "The venue flooded; we will rearrange."})
    point.refresh_from_db()
    assert point.status == "cancelled" and point.cancelled_reason.startswith("The venue flooded")


def test_staff_and_participants_rate_the_rung_reached_and_the_page_shows_intended_against_achieved(
    client_for, staff, member, project
):
    point = InvolvementPointFactory(project=project, ladder_level=7, title="Design day")
    client = client_for(staff)
    client.post(reverse("programmes:point_happened", args=[point.public_id]))
    client.post(reverse("programmes:point_rate", args=[point.public_id]), {"level": "5"})
    client_for(member).post(reverse("programmes:point_rate", args=[point.public_id]), {"level": "5"})
    ratings = LadderRating.objects.filter(involvement_point=point)
    assert {(r.rater_kind, r.level) for r in ratings} == {("staff", 5), ("participant", 5)}
    html = plan_page(client_for(staff), project)
    assert "Co-production" in html and "Engaging" in html and "2 ratings" in html


def test_a_point_cannot_be_rated_before_it_happens(client_for, member, project):
    point = InvolvementPointFactory(project=project)
    client_for(member).post(reverse("programmes:point_rate", args=[point.public_id]), {"level": "5"})
    assert not LadderRating.objects.exists()


def test_a_member_not_taking_part_cannot_rate(client_for, other_member, project):
    point = InvolvementPointFactory(project=project, status="happened")
    response = client_for(other_member).post(reverse("programmes:point_rate", args=[point.public_id]), {"level": "7"})
    assert response.status_code == 404 and not LadderRating.objects.exists()


def test_staff_invite_a_member_who_accepts_in_the_portal(client_for, staff, other_member, project, sent_emails):
    client_for(staff).post(
        reverse("programmes:participant_invite", args=[project.public_id]),
        {"email": other_member.email, "message": "Thanks for agreeing to join us."},
    )
    participant = Participant.objects.get(project=project, member=other_member)
    assert participant.status == "invited"
    assert sent_emails[-1].to == [other_member.email]
    member_client = client_for(other_member)
    assert project.name in member_client.get(reverse("programmes:my_projects")).content.decode()
    member_client.post(reverse("programmes:participation_respond", args=[participant.public_id]), {"answer": "yes"})
    participant.refresh_from_db()
    assert participant.status == "active"


def test_inviting_someone_who_is_not_a_member_gives_a_clear_error(client_for, staff, project):
    response = client_for(staff).post(
        reverse("programmes:participant_invite", args=[project.public_id]), {"email": "stranger@example.org"}
    )
    assert "There is no registered member with this email address." in response.content.decode()


def test_a_member_sees_only_their_projects_and_upcoming_points(client_for, member, other_member, project):
    InvolvementPointFactory(project=project, title="Co-design workshop", planned_date=days_from_today(20))
    ProjectFactory(name="Secret project")
    html = client_for(member).get(reverse("programmes:my_projects")).content.decode()
    assert project.name in html and "Co-design workshop" in html and "Secret project" not in html
    assert project.name not in client_for(other_member).get(reverse("programmes:my_projects")).content.decode()


def test_a_member_cannot_answer_someone_elses_invitation(client_for, other_member, project):
    invitation = ParticipantFactory(project=ProjectFactory(programme=project.programme), status="invited")
    response = client_for(other_member).post(
        reverse("programmes:participation_respond", args=[invitation.public_id]), {"answer": "yes"}
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_project_page_queries_do_not_grow_with_points_or_participants(client_for, staff, project):
    def add(n):
        for i in range(n):
            InvolvementPointFactory(project=project, stage=["discover", "develop", "review"][i % 3])
            ParticipantFactory(project=project, member=make_person(f"P{i}{n}", f"p{i}-{n}@example.org", "Member"))

    assert_flat_queries(client_for(staff), reverse("programmes:project_detail", args=[project.public_id]), add)


def test_my_projects_queries_do_not_grow_with_projects(client_for, member, project):
    def add(n):
        for _ in range(n):
            other = ProjectFactory(programme=project.programme)
            ParticipantFactory(project=other, member=member)
            InvolvementPointFactory(project=other, planned_date=days_from_today(5))
            InvolvementPointFactory(project=other, status=InvolvementPoint.Status.HAPPENED)

    assert_flat_queries(client_for(member), reverse("programmes:my_projects"), add)
