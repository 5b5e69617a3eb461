import pytest
from django.core.management import call_command

from coproduction.models import User
from programmes.models import Programme, Project

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_one_account_per_role_and_sample_work_and_can_run_twice(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    output = capsys.readouterr().out
    for role in ["Member", "Staff", "Leader", "Finance", "Administrator"]:
        assert User.objects.filter(groups__name=role).exists()
        assert role in output
    assert "coproduce-demo-2026" in output
    assert Programme.objects.filter(name="Better Breathing").count() == 1
    # Plans both strong and weak, at different stages.
    assert Project.objects.values("stage").distinct().count() >= 3


def test_the_small_demo_has_an_open_opportunity_and_a_session_to_book(client):
    from people.models import Opportunity, TrainingSession

    call_command("seed_demo")
    assert Opportunity.objects.filter(status="open").exists()
    assert TrainingSession.objects.exists()
    assert "Help design lung exercise classes" in client.get("/opportunities/").content.decode()
