import pytest
from django.urls import reverse

from coproduction.models import AuditEntry
from programmes.models import Programme, TeamMembership
from tests.conftest import assert_flat_queries
from tests.programmes.factories import (
    InvolvementPointFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.django_db


def programme_data(partner, **overrides):
    return {
        "name": "Healthy Minds",
        "partner": partner.pk,
        "purpose": "Help young people get mental health support sooner.",
        "start_date-day": "1",
        "start_date-month": "4",
        "start_date-year": "2026",
        "end_date-day": "31",
        "end_date-month": "3",
        "end_date-year": "2028",
        "status": "active",
        **overrides,
    }


def test_staff_create_a_programme_and_become_its_lead(client_for, staff):
    partner = PartnerFactory()
    response = client_for(staff).post(reverse("programmes:create"), programme_data(partner))
    programme = Programme.objects.get(name="Healthy Minds")
    assert response.url == reverse("programmes:detail", args=[programme.public_id])
    assert programme.team_memberships.get().user == staff
    assert programme.team_memberships.get().role == TeamMembership.Role.LEAD
    assert AuditEntry.objects.filter(action="programme.created", actor=staff).exists()


def test_an_end_date_before_the_start_is_refused_next_to_the_field_and_nothing_saved(client_for, staff):
    partner = PartnerFactory()
    response = client_for(staff).post(
        reverse("programmes:create"), programme_data(partner, **{"end_date-year": "2025"})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date." in html
    assert 'href="#id_end_date-day"' in html  # the error summary links to the field
    assert not Programme.objects.exists() and not TeamMembership.objects.exists()


def test_a_date_that_does_not_exist_is_refused(client_for, staff):
    partner = PartnerFactory()
    response = client_for(staff).post(
        reverse("programmes:create"), programme_data(partner, **{"start_date-day": "31", "start_date-month": "2"})
    )
    assert "Enter a real date" in response.content.decode()
    assert not Programme.objects.exists()


def test_staff_see_only_the_programmes_they_are_on(client_for, staff, programme):
    ProgrammeFactory(name="Someone Else's Programme")
    html = client_for(staff).get(reverse("programmes:list")).content.decode()
    assert "Better Breathing" in html and "Someone Else" not in html


def test_leaders_and_administrators_see_every_programme(client_for, leader, administrator, programme):
    ProgrammeFactory(name="Another Programme")
    for person in (leader, administrator):
        html = client_for(person).get(reverse("programmes:list")).content.decode()
        assert "Better Breathing" in html and "Another Programme" in html


def test_staff_not_on_the_programme_get_not_found_for_its_pages(client_for, other_staff, programme, project):
    client = client_for(other_staff)
    for url in [
        reverse("programmes:detail", args=[programme.public_id]),
        reverse("programmes:edit", args=[programme.public_id]),
        reverse("programmes:project_detail", args=[project.public_id]),
        reverse("programmes:point_create", args=[project.public_id]),
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Better Breathing" not in response.content.decode()


def test_a_leader_can_read_but_not_change_a_programme(client_for, leader, programme):
    client = client_for(leader)
    assert client.get(reverse("programmes:detail", args=[programme.public_id])).status_code == 200
    response = client.post(reverse("programmes:edit", args=[programme.public_id]), {"name": "Renamed"})
    assert response.status_code == 403
    programme.refresh_from_db()
    assert programme.name == "Better Breathing"


def test_staff_add_a_colleague_to_the_team(client_for, staff, other_staff, programme):
    response = client_for(staff).post(
        reverse("programmes:team", args=[programme.public_id]), {"person": other_staff.pk, "role": "member"}
    )
    assert response.status_code == 302
    assert programme.has_team_member(other_staff)
    # Now the colleague can see the programme.
    assert client_for(other_staff).get(reverse("programmes:detail", args=[programme.public_id])).status_code == 200


def test_the_only_lead_cannot_be_removed(client_for, staff, programme):
    client_for(staff).post(reverse("programmes:team_remove", args=[programme.public_id, staff.public_id]))
    assert programme.has_team_member(staff)


def test_programme_page_shows_our_way_of_working_figures(client_for, staff, programme, member):
    early = ProjectFactory(programme=programme, lead=staff)
    InvolvementPointFactory(project=early, stage="discover", ladder_level=6)
    late = ProjectFactory(programme=programme, lead=staff)
    InvolvementPointFactory(project=late, stage="deliver", ladder_level=4)
    ProjectFactory(programme=programme, lead=staff)  # no plan
    html = client_for(staff).get(reverse("programmes:detail", args=[programme.public_id])).content.decode()
    assert "2 of 3" in html  # projects with a plan
    assert "1 of 2" in html  # plans involving people before develop
    # The chart's table lists every rung with its count.
    assert "Co-design</td>" in html and "Consulting</td>" in html


def test_programme_list_queries_do_not_grow_with_programmes(client_for, administrator):
    client = client_for(administrator)

    def add(n):
        for _ in range(n):
            programme = ProgrammeFactory()
            TeamMembershipFactory(programme=programme)
            ProjectFactory(programme=programme)

    assert_flat_queries(client, reverse("programmes:list"), add)


def test_programme_page_queries_do_not_grow_with_projects(client_for, staff, programme):
    def add(n):
        for _ in range(n):
            project = ProjectFactory(programme=programme, lead=staff)
            InvolvementPointFactory(project=project)
            TeamMembershipFactory(programme=programme)

    assert_flat_queries(client_for(staff), reverse("programmes:detail", args=[programme.public_id]), add)


def test_programme_page_compares_the_rung_planned_with_the_rung_reached(client_for, staff, member, programme):
    from programmes.models import LadderRating

    project = ProjectFactory(programme=programme, lead=staff)
    for planned, ratings in [(7, [5, 5]), (5, [5])]:
        point = InvolvementPointFactory(project=project, ladder_level=planned, status="happened")
        for n, level in enumerate(ratings):
            rater = staff if n == 0 else member
            LadderRating.objects.create(involvement_point=point, rated_by=rater, rater_kind="staff", level=level)
    html = client_for(staff).get(reverse("programmes:detail", args=[programme.public_id])).content.decode()
    # Planned (7 + 5) / 2 = 6 → Co-design; reached (5 + 5) / 2 = 5 → Engaging.
    assert "Across 2 rated involvement points: planned on average Co-design, reached on average Engaging." in html
