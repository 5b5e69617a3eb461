"""A member completes their profile, access needs and equality questions, downloads their data, asks
to be deleted and changes their mind. axe checks every page on the way."""

import json
from pathlib import Path

import pytest

from people.models.profiles import AccessNeeds, DeletionRequest, EqualityMonitoring, Profile
from tests.people.factories_profiles import LivedExperienceTagFactory

pytestmark = pytest.mark.browser

NEEDS_MARKER = "Papers on yellow paper please"
POSTCODE_MARKER = "ZE3"


def label(portal, text):
    """A form control by the start of its label (optional fields end "(optional)")."""
    return portal.page.get_by_label(text, exact=False).first


def test_a_member_completes_their_profile_downloads_their_data_and_asks_to_be_deleted(portal, member):
    LivedExperienceTagFactory(name="Diabetes")
    # Given a member who has just registered
    portal.sign_in(member)
    portal.visit("/dashboard/")
    assert "Complete your profile" in portal.page.content()

    # When they tell us about themselves
    portal.click("Tell us about you", role="link")
    assert portal.heading() == "Tell us about you"
    portal.fill("Your full name", "Zoë Nguyễn")
    label(portal, "What would you like us to call you?").fill("Zo")
    portal.page.get_by_label("Phone", exact=True).check()
    portal.click("Save")
    # Then a phone number is asked for, next to the field
    assert portal.page.locator(".nhsuk-error-summary").count() == 1
    assert "Enter your phone number, or untick phone" in portal.page.content()
    label(portal, "Phone number").fill("07700 900 982")
    portal.page.get_by_label("Diabetes", exact=True).check()
    portal.page.get_by_label("A voucher", exact=True).check()
    portal.click("Save")
    assert portal.heading() == "Your profile"
    assert "Zoë Nguyễn" in portal.page.content()

    # And their access needs, at first forgetting to say what "something else" is
    portal.click("Change communication and access needs", role="link")
    portal.page.get_by_label("British Sign Language (BSL) interpreter", exact=True).check()
    portal.page.get_by_label("Something else", exact=True).check()
    portal.click("Save")
    assert "Tell us what else you need" in portal.page.content()
    label(portal, "If you chose something else").fill(NEEDS_MARKER)
    portal.click("Save")
    assert portal.heading() == "Your profile"
    assert NEEDS_MARKER in portal.page.content()

    # And the equality questions, with a postcode in the wrong format first
    portal.click("Answer equality monitoring answers", role="link")
    assert "Why we ask" in portal.page.content()
    portal.page.locator("#id_sex_2").check()  # Prefer not to say
    label(portal, "What is your ethnic group?").select_option(label="Roma")
    label(portal, "The first part of your postcode").fill("Leeds")
    portal.click("Save my answers")
    assert "Enter the first part of a postcode" in portal.page.content()
    label(portal, "The first part of your postcode").fill(POSTCODE_MARKER.lower())
    portal.click("Save my answers")
    assert portal.heading() == "Your profile"
    assert "You answered 3 of 9 questions" in portal.page.content()

    # And they agree to the privacy notice; the nudge goes
    portal.click("Change what you agree to", role="link")
    portal.page.get_by_label("I have read the privacy notice and I agree to it", exact=True).check()
    portal.click("Save")
    assert "You agreed to privacy notice version 1" in portal.page.content()
    portal.visit("/dashboard/")
    assert "Complete your profile" not in portal.page.content()

    # When they download their data, it holds what they told us
    portal.visit("/your-data/")
    assert NEEDS_MARKER in portal.page.content() and POSTCODE_MARKER not in portal.page.content()
    with portal.page.expect_download() as download_info:
        portal.page.get_by_role("button", name="Download your data").click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["name"] == "Zoë Nguyễn"
    assert data["profile"]["preferred_name"] == "Zo" and data["profile"]["lived_experience"] == ["Diabetes"]
    assert data["access_needs"]["something_else"] == NEEDS_MARKER
    assert data["equality"]["answers"]["postcode_district"]["answer"] == POSTCODE_MARKER
    assert data["equality"]["answers"]["ethnicity"]["answer"] == "White: Roma"

    # When they ask us to delete their account
    portal.click("Ask us to delete your account", role="link")
    portal.click("Continue")
    assert "Choose yes if you want us to delete your account" in portal.page.content()
    portal.page.get_by_label("Yes, delete my account", exact=True).check()
    portal.click("Continue")
    assert "We will delete your account on" in portal.page.content()
    deletion = DeletionRequest.objects.get(user=member)
    assert deletion.is_pending

    # Then they can change their mind within 14 days
    portal.click("Do not delete my account")
    assert "We will not delete your account." in portal.page.content()
    deletion.refresh_from_db()
    assert deletion.cancelled_at is not None
    assert Profile.objects.filter(user=member).exists()
    assert AccessNeeds.objects.get(user=member).other_details == NEEDS_MARKER
    assert EqualityMonitoring.objects.get(user=member).postcode_district == POSTCODE_MARKER
    assert len(portal.pages_checked) >= 15
