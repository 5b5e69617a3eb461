"""Each programme shows the share of its team with their required training current."""

import pytest
from django.urls import reverse

from people import training as services
from people.models.training import Course
from programmes.models import TeamMembership
from tests.conftest import assert_flat_queries
from tests.factories import UserFactory
from tests.people.factories_training import CourseFactory, TrainingRecordFactory, programme_led_by
from tests.programmes.factories import days_from_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(staff, other_staff):
    programme = programme_led_by(staff)
    TeamMembership.objects.create(programme=programme, user=other_staff)
    return programme


@pytest.fixture
def essentials():
    return CourseFactory(
        title="Co-production essentials", required_for=Course.RequiredFor.PROGRAMME_STAFF, valid_for_months=24
    )


def coverage_url(programme):
    return reverse("people:training_coverage", args=[programme.public_id])


def test_the_share_counts_people_with_every_required_course_current(staff, other_staff, programme, essentials):
    safeguarding = CourseFactory(title="Safeguarding", required_for=Course.RequiredFor.PROGRAMME_STAFF)
    CourseFactory(title="Optional extra")
    TrainingRecordFactory(person=staff, course=essentials)
    TrainingRecordFactory(person=staff, course=safeguarding)
    TrainingRecordFactory(person=other_staff, course=essentials)
    TrainingRecordFactory(person=other_staff, course=safeguarding, completed_on=days_from_today(-500))  # lapsed
    figures = services.coverage(programme)
    assert (figures["team"], figures["covered"], figures["share"], figures["required_count"]) == (2, 1, 50, 2)
    by_title = {c.title: c for c in figures["courses"]}
    assert (by_title["Co-production essentials"].current, by_title["Co-production essentials"].share) == (2, 100)
    assert (by_title["Safeguarding"].current, by_title["Safeguarding"].missing) == (1, 1)


def test_records_of_people_off_the_team_do_not_count(staff, programme, essentials):
    TrainingRecordFactory(person=UserFactory(), course=essentials)
    TrainingRecordFactory(person=staff, course=essentials)
    TrainingRecordFactory(person=staff, course=essentials, completed_on=days_from_today(-5))
    figures = services.coverage(programme)
    assert (figures["covered"], figures["courses"][0].current) == (1, 1)


def test_records_expiring_within_30_days_are_counted_as_expiring_soon(staff, programme, essentials):
    TrainingRecordFactory(person=staff, course=essentials, completed_on=days_from_today(-720))
    assert services.coverage(programme)["courses"][0].expiring_soon == 1


def test_the_team_sees_the_figure_and_each_person(client_for, staff, other_staff, programme, essentials):
    TrainingRecordFactory(person=staff, course=essentials)
    html = client_for(staff).get(coverage_url(programme)).content.decode()
    assert "1 of 2 (50%)" in html
    assert other_staff.name in html and "Not done" in html


def test_leaders_see_the_figures_but_not_the_names(client_for, leader, other_staff, programme, essentials):
    html = client_for(leader).get(coverage_url(programme)).content.decode()
    assert "0 of 2 (0%)" in html
    assert other_staff.name not in html


def test_with_no_required_course_the_page_says_so(client_for, staff, programme):
    assert (
        "No course is required for programme staff" in client_for(staff).get(coverage_url(programme)).content.decode()
    )


def test_staff_off_the_programme_do_not_learn_it_exists(client_for, other_member, finance):
    programme = programme_led_by(UserFactory())
    for someone in (other_member, finance):
        assert client_for(someone).get(coverage_url(programme)).status_code == 404


def test_the_coverage_page_makes_the_same_number_of_queries_for_any_team_size(client_for, staff, programme, essentials):
    CourseFactory(title="Safeguarding", required_for=Course.RequiredFor.PROGRAMME_STAFF)

    def add(n):
        for _ in range(n):
            person = UserFactory()
            TeamMembership.objects.create(programme=programme, user=person)
            TrainingRecordFactory(person=person, course=essentials)

    assert_flat_queries(client_for(staff), coverage_url(programme), add, many=30)
