import datetime

import factory
from django.utils import timezone

from programmes.models import (
    InvolvementPoint,
    LadderLevel,
    Participant,
    PartnerOrganisation,
    Programme,
    Project,
    Stage,
    TeamMembership,
)
from tests.factories import UserFactory


def days_from_today(days: int) -> datetime.date:
    """Dates relative to today, so tests mean the same thing whenever they run."""
    return timezone.localdate() + datetime.timedelta(days=days)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Riverside Community Trust {n}")
    kind = PartnerOrganisation.Kind.NHS_TRUST


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Healthy Hearts programme {n}")
    purpose = "Help people with heart conditions live well at home."
    start_date = factory.LazyFunction(lambda: days_from_today(-365))
    end_date = factory.LazyFunction(lambda: days_from_today(730))


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cardiac rehab at home {n}")
    purpose = "Make cardiac rehabilitation easier to do at home."
    lead = factory.SubFactory(UserFactory)
    stage = Stage.DISCOVER
    start_date = factory.LazyFunction(lambda: days_from_today(-200))
    end_date = factory.LazyFunction(lambda: days_from_today(400))


class InvolvementPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvolvementPoint

    project = factory.SubFactory(ProjectFactory)
    stage = Stage.DISCOVER
    title = factory.Sequence(lambda n: f"Listening event {n}")
    decision = "Which problems the project should work on first."
    ladder_level = LadderLevel.CO_DESIGN
    planned_date = factory.LazyFunction(lambda: days_from_today(14))
    format = InvolvementPoint.Format.BOTH


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    project = factory.SubFactory(ProjectFactory)
    member = factory.SubFactory(UserFactory)
    status = Participant.Status.ACTIVE
