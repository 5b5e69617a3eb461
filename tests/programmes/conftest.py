import pytest

from programmes.models import TeamMembership
from tests.programmes.factories import ParticipantFactory, ProgrammeFactory, ProjectFactory


@pytest.fixture
def programme(staff):
    """A programme that `staff` leads."""
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    return programme


@pytest.fixture
def project(programme, staff, member):
    """A project in `programme` in which `member` takes part."""
    project = ProjectFactory(programme=programme, lead=staff, name="Pulmonary rehab closer to home")
    ParticipantFactory(project=project, member=member)
    return project
