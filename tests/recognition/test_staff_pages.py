"""Staff pages: a project's involvement and corrections, totals per programme and project; the demo."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programmes.models import TeamMembership
from recognition import services
from recognition.models import Reward
from tests.programmes.factories import ParticipantFactory, ProgrammeFactory, ProjectFactory
from tests.recognition.factories import make_log

pytestmark = pytest.mark.django_db


def test_staff_correct_a_reward_from_the_project_page(client_for, member, staff, project):
    reward = services.confirm_log(log=make_log(member, project, minutes=120), by=staff)
    client = client_for(staff)
    page = client.get(reverse("recognition:project_involvement", args=[project.public_id])).content.decode()
    assert "£30.00" in page and reverse("recognition:reward_correct", args=[reward.public_id]) in page
    url = reverse("recognition:reward_correct", args=[reward.public_id])
    assert "Enter why the reward is being corrected" in client.post(url, {"action": "change"}).content.decode()
    response = client.post(
        url, {"action": "change", "hours": "1", "minutes": "", "choice": "voucher", "reason": "It was one hour."}
    )
    assert response.status_code == 302
    lines = list(Reward.objects.filter(log=reward.log).order_by("created_at"))
    assert [(line.entry, line.choice, line.amount) for line in lines] == [
        ("original", "payment", Decimal("30.00")),
        ("reversal", "payment", Decimal("-30.00")),
        ("replacement", "voucher", Decimal("15.00")),
    ]
    page = client.get(reverse("recognition:project_involvement", args=[project.public_id])).content.decode()
    assert "Reversal of an earlier line" in page and "It was one hour." in page
    # The reversed line cannot be corrected twice from a stale page.
    client.post(url, {"action": "cancel", "reason": "Again"})
    assert Reward.objects.filter(log=reward.log).count() == 3


def test_totals_per_programme_and_project(client_for, member, other_member, staff, leader, project, point):
    ParticipantFactory(project=project, member=other_member)
    second = ProjectFactory(programme=project.programme, name="Breathe Easy groups")
    ParticipantFactory(project=second, member=member)
    services.confirm_log(log=make_log(member, project, minutes=120), by=staff)
    services.confirm_log(log=make_log(other_member, project, minutes=60), by=staff)
    services.confirm_log(log=make_log(member, second, minutes=30), by=staff)
    elsewhere = ProgrammeFactory(name="Carers' Voices")
    rows = client_for(staff).get(reverse("recognition:totals")).context["programmes"]
    assert [row["programme"] for row in rows] == [project.programme]
    row = rows[0]
    assert (row["people"], row["hours"]) == (2, Decimal("3.5"))  # Alice counts once across two projects
    by_project = {r["project"].name: r for r in row["projects"]}
    assert (by_project[project.name]["people"], by_project[project.name]["rewards"]) == (2, Decimal("30.00"))
    assert by_project["Breathe Easy groups"]["hours"] == Decimal("0.5")
    leader_rows = client_for(leader).get(reverse("recognition:totals")).context["programmes"]
    assert {r["programme"] for r in leader_rows} == {project.programme, elsewhere}
    assert TeamMembership.objects.filter(user=leader).count() == 0


def test_the_demo_seeds_logs_rewards_and_a_claim_once(db, rates):
    from coproduction import demo as accounts_demo
    from programmes import demo as programmes_demo
    from recognition import demo

    users = accounts_demo.seed_accounts()
    programmes_demo.seed(users)
    result = demo.seed(users)
    member = users["member@example.org"]
    assert member.involvement_logs.filter(status="confirmed").count() >= 2
    assert member.involvement_logs.filter(status="queried").exists()
    assert Reward.objects.filter(member=member).exists()
    assert result["claim"].status == "submitted" and result["claim"].items.count() == 2
    assert demo.seed(users) == {}
