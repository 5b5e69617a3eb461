"""Staff design co-production into a project, and see the weak-plan warning clear."""

import pytest

from programmes.models import Programme
from tests.programmes.factories import PartnerFactory, days_from_today

pytestmark = pytest.mark.browser


def fill_date(portal, field_id, day):
    portal.page.locator(f"#{field_id}-day").fill(str(day.day))
    portal.page.locator(f"#{field_id}-month").fill(str(day.month))
    portal.page.locator(f"#{field_id}-year").fill(str(day.year))


def add_point(portal, title, stage, level, day):
    portal.click("Add an involvement point")
    portal.fill("Title", title)
    portal.page.get_by_label(stage, exact=True).check()
    portal.fill("Decision people can genuinely influence", f"What {title.lower()} decides.")
    portal.page.get_by_label(level, exact=True).check()
    fill_date(portal, "id_planned_date", day)
    portal.page.get_by_label("In person and online", exact=True).check()
    portal.click("Save")


def test_staff_create_a_programme_project_and_plan_and_the_weak_plan_warning_clears(portal, staff):
    PartnerFactory(name="Northbrook Integrated Care Board")
    # Given a member of staff signed in
    portal.sign_in(staff)
    # When they create a programme
    portal.visit("/programmes/")
    portal.click("Create a programme")
    portal.fill("Name", "Healthy Minds")
    portal.page.get_by_label("Partner organisation").select_option(label="Northbrook Integrated Care Board")
    portal.fill("Purpose", "Help young people get mental health support sooner.")
    fill_date(portal, "id_start_date", days_from_today(-30))
    portal.page.get_by_label("Active", exact=True).check()
    portal.click("Save")
    assert portal.heading() == "Healthy Minds"
    # And a project in it
    portal.click("Add a project")
    portal.fill("Name", "Drop-in support at school")
    portal.fill("Purpose", "A weekly drop-in at schools with a mental health worker.")
    portal.page.get_by_label("Project lead").select_option(label=str(staff))
    portal.page.get_by_label("Discover", exact=True).check()
    fill_date(portal, "id_start_date", days_from_today(-10))
    portal.page.get_by_label("Active", exact=True).check()
    portal.click("Save")
    assert portal.heading() == "Drop-in support at school"
    assert "no co-production plan yet" in portal.page.content()
    # When they plan a late, low involvement point first, the plan is flagged as weak
    add_point(portal, "Feedback survey", "Deliver", "Consulting", days_from_today(100))
    content = portal.page.content()
    assert "not involved before the develop stage" in content and "above consulting" in content
    # Then they add early and co-design points, and the warning clears
    add_point(portal, "Listening sessions with pupils", "Discover", "Engaging", days_from_today(10))
    add_point(portal, "Design the drop-in together", "Define", "Co-design", days_from_today(40))
    content = portal.page.content()
    assert "This plan needs attention" not in content
    assert "This plan involves people early" in content
    assert Programme.objects.get(name="Healthy Minds").projects.get().involvement_points.count() == 3
