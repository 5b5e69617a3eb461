import pytest

from programmes.models import InvolvementPoint, TeamMembership
from tests.programmes.factories import (
    InvolvementPointFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProjectFactory,
    days_from_today,
)
from tests.recognition.factories import default_rate_card, expense_policy, level


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Receipts go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rates(db):
    card = default_rate_card()
    expense_policy()
    return card


@pytest.fixture
def programme(staff):
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    return programme


@pytest.fixture
def project(programme, staff, member, rates):
    """`member` takes part at level 3 (£15 an hour under the default card)."""
    project = ProjectFactory(programme=programme, lead=staff, name="Pulmonary rehab closer to home")
    ParticipantFactory(project=project, member=member, involvement_level=level(3))
    return project


@pytest.fixture
def point(project):
    """An involvement point that happened a week ago, at level 4 (by the session)."""
    return InvolvementPointFactory(
        project=project,
        title="Design workshop",
        planned_date=days_from_today(-7),
        status=InvolvementPoint.Status.HAPPENED,
        involvement_level=level(4),
    )
