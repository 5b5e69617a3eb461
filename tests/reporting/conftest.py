import pytest

from programmes.models import TeamMembership
from tests.programmes.factories import ParticipantFactory, ProgrammeFactory, ProjectFactory


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Reports are written to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def programme(staff):
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    return programme


@pytest.fixture
def project(programme, staff, member):
    """`member` takes part; `other_member` does not."""
    project = ProjectFactory(programme=programme, lead=staff, name="Pulmonary rehab closer to home")
    ParticipantFactory(project=project, member=member, status="active")
    return project
