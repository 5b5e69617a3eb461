"""The seven-steps indicators and review pages, and the team's self-assessment."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import indicators
from reporting.models import SelfAssessment, WeDid
from tests.conftest import assert_flat_queries, make_person
from tests.programmes.factories import InvolvementPointFactory, ParticipantFactory, ProjectFactory
from tests.reporting.factories import WeDidFactory, YouSaidFactory, answered

pytestmark = pytest.mark.django_db

START, END = date(2026, 1, 1), date(2026, 3, 31)


def test_you_said_figures_count_items_answered_done_and_the_median_days(staff, programme):
    we_did = WeDidFactory(programme=programme, owner=staff, status=WeDid.Status.DONE, outcome="Done it")
    for days in (2, 4, 10):
        answered(YouSaidFactory(programme=programme, said_on=date(2026, 2, 1)), we_did, on=date(2026, 2, 1 + days))
    YouSaidFactory(programme=programme, said_on=date(2026, 2, 5))  # not answered
    YouSaidFactory(programme=programme, said_on=date(2025, 12, 31))  # before the period
    figures = indicators.you_said(programme, start=START, end=END)
    assert (figures.said, figures.answered, figures.done, figures.median_days) == (4, 3, 3, 4)
    assert figures.answered_share == 75 and figures.done_share == 100


def test_the_median_of_an_even_number_is_the_middle_pair(staff, programme):
    we_did = WeDidFactory(programme=programme, owner=staff)
    for days in (2, 5):
        answered(YouSaidFactory(programme=programme, said_on=date(2026, 2, 1)), we_did, on=date(2026, 2, 1 + days))
    assert indicators.you_said(programme, start=START, end=END).median_days == 3.5


def test_counts_of_people_are_suppressed_and_their_money_is_hidden(staff, programme, project):
    from recognition import services as recognition
    from tests.recognition.factories import default_rate_card, level, make_log

    default_rate_card()
    member = project.participants.get().member
    project.participants.update(involvement_level=level(3))
    recognition.confirm_log(log=make_log(member, project, day=date(2026, 2, 2)), by=staff)
    figures = indicators.rewards(programme, start=START, end=END, rule=indicators.disclosure.Rule.from_settings())
    assert str(figures.people) == "*" and figures.hours is None and figures.total_spend is None


def test_with_enough_people_figures_are_rounded_and_money_shown(staff, programme, project):
    from recognition import services as recognition
    from tests.recognition.factories import default_rate_card, level, make_log

    default_rate_card()
    for n in range(9):
        person = make_person(f"Person {n}", f"person{n}@example.org", "Member")
        ParticipantFactory(project=project, member=person, involvement_level=level(3))
        recognition.confirm_log(log=make_log(person, project, day=date(2026, 2, 2)), by=staff)
    figures = indicators.rewards(programme, start=START, end=END, rule=indicators.disclosure.Rule.from_settings())
    assert str(figures.people) == "10" and figures.hours is not None and figures.rewards_spend > Decimal("0")


def test_plans_count_early_involvement_and_ladder_levels(staff, programme, project):
    InvolvementPointFactory(project=project, stage="discover", ladder_level=6)
    late = ProjectFactory(programme=programme, lead=staff)
    InvolvementPointFactory(project=late, stage="deliver", ladder_level=4)
    ProjectFactory(programme=programme, lead=staff)  # no plan
    plans = indicators.plans(programme, end=timezone.localdate())
    assert (plans.projects, plans.with_plan, plans.early) == (3, 2, 1)
    assert {row["value"]: row["planned"] for row in plans.ladder_rows}[6] == 1


def test_the_review_page_has_a_table_beside_every_chart_and_flat_queries(client_for, staff, member, programme, project):
    client = client_for(staff)
    url = reverse("reporting:review", args=[programme.public_id])
    html = client.get(url).text
    assert html.count('aria-hidden="true" focusable="false" width="100%"') <= html.count('<table class="nhsuk-table"')
    assert "Seven-steps review" in html and "7. Regular review" in html

    def add(n):
        for _ in range(n):
            other = ProjectFactory(programme=programme, lead=staff)
            InvolvementPointFactory(project=other, stage="define")
            we_did = WeDidFactory(programme=programme, owner=staff)
            answered(YouSaidFactory(programme=programme, member=member), we_did)
            ParticipantFactory(project=other, member=make_person("P", f"p{other.pk}@example.org", "Member"))

    assert_flat_queries(client, url, add, few=1, many=15)


def test_the_system_review_is_for_staff_side_roles(client_for, staff, leader, member, programme):
    assert client_for(leader).get(reverse("reporting:review_system")).status_code == 200
    assert client_for(member).get(reverse("reporting:review_system")).status_code == 403


def test_the_team_scores_the_seven_steps_with_evidence_and_sees_the_trend(client_for, staff, leader, programme):
    client = client_for(staff)
    url = reverse("reporting:self_assessment", args=[programme.public_id])
    assert "Give the evidence for step 3" in client.post(url, {}).text
    for when, score in ((timezone.localdate() - timedelta(days=90), 2), (timezone.localdate(), 3)):
        data = {"assessed_on-day": when.day, "assessed_on-month": when.month, "assessed_on-year": when.year}
        for step in range(1, 8):
            data[f"score_{step}"] = score
            data[f"evidence_{step}"] = f"Evidence for step {step}"
        assert client.post(url, data).status_code == 302
    assessment = SelfAssessment.objects.order_by("-assessed_on").first()
    assert assessment.scores.count() == 7 and assessment.assessed_by == staff
    trend = indicators.self_assessment_trend(programme)
    assert [s["series"] for s in trend["steps"]][0] == [2, 3]
    html = client_for(leader).get(reverse("reporting:review", args=[programme.public_id])).text
    assert "Self-assessment scores over time" in html and "Evidence for step 7" in html
    assert client_for(leader).get(url).status_code == 403  # leaders follow progress; the team scores


def test_the_system_review_lists_each_programmes_latest_scores(client_for, administrator, staff, programme):
    from reporting import services

    services.record_self_assessment(
        programme=programme,
        by=staff,
        assessed_on=timezone.localdate(),
        scores=dict.fromkeys(range(1, 8), (4, "Strong evidence")),
    )
    html = client_for(administrator).get(reverse("reporting:review_system")).text
    assert "Each programme's latest self-assessment" in html and programme.name in html


def test_the_review_keeps_its_figures_for_a_while_and_says_when_they_were_worked_out(
    client_for, staff, member, programme, settings
):
    from django.core.cache import cache

    settings.REVIEW_FIGURES_SECONDS = 5 * 60
    today = timezone.localdate()
    period = {"programme": programme, "start": today - timedelta(days=30), "end": today}
    steps, worked_out_at = indicators.seven_steps_for_review(**period)
    assert steps.you_said.said == 0
    YouSaidFactory(programme=programme, member=member, said_on=today)
    assert indicators.seven_steps_for_review(**period) == (steps, worked_out_at)  # kept
    cache.clear()
    assert indicators.seven_steps_for_review(**period)[0].you_said.said == 1  # worked out again

    html = client_for(staff).get(reverse("reporting:review", args=[programme.public_id])).text
    assert "These figures were worked out at" in html and "every 5 minutes" in html


def test_with_keeping_off_the_review_works_its_figures_out_on_every_visit(client_for, staff, programme):
    html = client_for(staff).get(reverse("reporting:review", args=[programme.public_id])).text
    assert "These figures were worked out at" not in html
