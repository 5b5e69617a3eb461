import factory

from people.models import (
    Application,
    ApplicationAnswer,
    EqualitySnapshot,
    InvolvementLevel,
    LivedExperienceTag,
    Opportunity,
    OpportunityQuestion,
    PopulationFigure,
)
from tests.factories import UserFactory
from tests.programmes.factories import ProjectFactory, days_from_today


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LivedExperienceTag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Long-term condition {n}")


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Join our breathing group {n}")
    what_you_will_do = "You will meet with us once a month. We will talk about how to make lung services better."
    time_commitment = "2 hours a month for 6 months"
    format = Opportunity.Format.BOTH
    place = "Northbrook Community Centre"
    involvement_level = InvolvementLevel.WORKING_GROUP
    is_paid = True
    payment_details = "£25 for each meeting"
    offers_travel_support = True
    selection_criteria = "You live with a lung condition, or care for someone who does."
    places = 6
    closing_date = factory.LazyFunction(lambda: days_from_today(21))
    easy_read = "We want to hear from you.\n\nYou will meet us once a month."
    status = Opportunity.Status.OPEN

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if not create:
            return
        texts = (
            extracted
            if extracted is not None
            else ["Why do you want to join?", "What do you know about lung services?"]
        )
        for index, text in enumerate(texts):
            OpportunityQuestion.objects.create(opportunity=obj, text=text, order=index)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    opportunity = factory.SubFactory(OpportunityFactory)
    applicant = factory.SubFactory(UserFactory)
    number = factory.LazyAttribute(lambda o: o.opportunity.applications.count() + 1)
    access_needs = ""

    @factory.post_generation
    def answers(obj, create, extracted, **kwargs):
        if not create:
            return
        for index, question in enumerate(obj.opportunity.questions.all()):
            ApplicationAnswer.objects.create(
                application=obj,
                question=question,
                question_text=question.text,
                answer=f"My answer {index + 1}",
                order=index,
            )

    @factory.post_generation
    def snapshot(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EqualitySnapshot.objects.create(opportunity=obj.opportunity, application=obj, **(extracted or {}))


class SnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EqualitySnapshot

    opportunity = factory.SubFactory(OpportunityFactory)


class PopulationFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationFigure

    area_name = "Northbrook"
    characteristic = "sex"
    category = "female"
    share = "51.00"
    source = "Census 2021"
    as_of = factory.LazyFunction(lambda: days_from_today(-1000))
