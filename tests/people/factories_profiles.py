"""Factories for profiles, access needs, equality answers, consent and deletion requests."""

import factory

from people.models.profiles import (
    PRIVACY_NOTICE_VERSION,
    AccessNeeds,
    Consent,
    DeletionRequest,
    EqualityMonitoring,
    LivedExperienceTag,
    Profile,
)
from tests.factories import UserFactory


class LivedExperienceTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LivedExperienceTag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Long-term condition {n}")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    preferred_name = "Al"
    payment_preference = Profile.PaymentPreference.VOUCHER
    completed_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)


class AccessNeedsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessNeeds
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    bsl_interpreter = True
    step_free_access = True


class EqualityMonitoringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EqualityMonitoring
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    age_band = "35_44"
    ethnicity = "white_roma"
    religion = "buddhist"
    postcode_district = "LS1"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    user = factory.SubFactory(UserFactory)
    action = Consent.Action.AGREED_PRIVACY_NOTICE
    privacy_notice_version = PRIVACY_NOTICE_VERSION


class DeletionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeletionRequest

    user = factory.SubFactory(UserFactory)
