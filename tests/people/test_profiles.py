"""Member profiles and access needs: what a member keeps, and who sees their access needs."""

import pytest
import rules
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduction.models import AuditEntry
from people.models.profiles import AccessNeeds, LivedExperienceTag, Profile
from programmes.models import TeamMembership
from tests.conftest import assert_flat_queries, make_person
from tests.people.factories_profiles import (
    AccessNeedsFactory,
    ConsentFactory,
    LivedExperienceTagFactory,
    ProfileFactory,
)
from tests.programmes.factories import ParticipantFactory, ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db

NEEDS_MARKER = "Needs papers printed on yellow paper"


def profile_data(**overrides):
    data = {
        "name": "Zoë Nguyễn 李小龍",
        "preferred_name": "Zo",
        "pronouns": "they/them",
        "contact_methods": ["email", "phone"],
        "phone": "07700 900 982",
        "postal_address": "",
        "payment_preference": "voucher",
    }
    data.update(overrides)
    return data


@pytest.fixture
def project(staff, member):
    """A project `staff` works on, in which `member` takes part."""
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    project = ProjectFactory(programme=programme, lead=staff, name="Pulmonary rehab closer to home")
    ParticipantFactory(project=project, member=member)
    return project


# The profile --------------------------------------------------------------------------------------
def test_a_profile_is_made_the_first_time_a_member_opens_it(client_for, member):
    assert not Profile.objects.filter(user=member).exists()
    response = client_for(member).get(reverse("people:profile"))
    assert response.status_code == 200
    profile = Profile.objects.get(user=member)
    assert not profile.is_complete
    assert "Your profile is not finished yet" in response.content.decode()


def test_a_member_completes_their_profile_with_any_name_and_lived_experience(client_for, member):
    tag = LivedExperienceTagFactory(name="Diabetes")
    response = client_for(member).post(reverse("people:profile_edit"), profile_data(lived_experience=[tag.pk]))
    assert response.status_code == 302 and response.url == reverse("people:profile")
    member.refresh_from_db()
    profile = Profile.objects.get(user=member)
    assert member.name == "Zoë Nguyễn 李小龍"
    assert (profile.preferred_name, profile.pronouns, profile.phone) == ("Zo", "they/them", "07700 900 982")
    assert profile.contact_methods == ["email", "phone"]
    assert profile.payment_preference == "voucher"
    assert list(profile.lived_experience.all()) == [tag]
    assert profile.completed_at is not None
    entry = AuditEntry.objects.get(action="profile.completed")
    assert entry.actor == member and entry.subject_id == str(profile.public_id)
    assert "Zo" not in entry.detail and "0770" not in entry.detail

    html = client_for(member).get(reverse("people:profile")).content.decode()
    assert "Zoë Nguyễn 李小龍" in html and "Diabetes" in html and "A voucher" in html


def test_the_form_warns_people_on_benefits_to_get_advice_before_accepting_payment(client_for, member):
    html = client_for(member).get(reverse("people:profile_edit")).content.decode()
    assert "If you get benefits, please get advice before you accept payment" in html
    assert "even if you plan to say no to them" in html


def test_phone_ticked_without_a_number_is_refused_next_to_the_field_and_nothing_is_saved(client_for, member):
    response = client_for(member).post(reverse("people:profile_edit"), profile_data(phone=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert 'href="#id_phone"' in html and "Enter your phone number, or untick phone" in html
    assert 'id="id_phone-error"' in html
    member.refresh_from_db()
    assert member.name == "Alice Member"
    assert not Profile.objects.filter(user=member, completed_at__isnull=False).exists()


def test_post_ticked_without_an_address_and_a_wrong_phone_number_are_both_explained(client_for, member):
    response = client_for(member).post(
        reverse("people:profile_edit"), profile_data(contact_methods=["phone", "post"], phone="call me")
    )
    html = response.content.decode()
    assert "Enter a phone number, like 01632 960 001" in html
    assert "Enter your postal address, or untick post" in html


def test_an_empty_profile_form_says_what_is_missing(client_for, member):
    html = client_for(member).post(reverse("people:profile_edit"), {}).content.decode()
    assert "Enter your name" in html
    assert "Choose at least one way we can contact you" in html
    assert "Choose payment, a voucher or no payment" in html


def test_unticking_phone_forgets_the_phone_number(client_for, member):
    client = client_for(member)
    client.post(reverse("people:profile_edit"), profile_data())
    client.post(reverse("people:profile_edit"), profile_data(contact_methods=["email"]))
    profile = Profile.objects.get(user=member)
    assert profile.phone == "" and not profile.contact_by_phone
    assert AuditEntry.objects.filter(action="profile.changed").count() == 1


def test_retired_tags_are_not_offered_unless_the_member_already_chose_them(client_for, member, other_member):
    kept = LivedExperienceTagFactory(name="Dementia")
    retired = LivedExperienceTagFactory(name="Old label", active=False)
    profile = ProfileFactory(user=member)
    profile.lived_experience.add(retired)
    assert "Old label" in client_for(member).get(reverse("people:profile_edit")).content.decode()
    html = client_for(other_member).get(reverse("people:profile_edit")).content.decode()
    assert "Dementia" in html and "Old label" not in html
    assert kept.slug == "dementia"


def test_tags_get_a_slug_from_their_name():
    assert LivedExperienceTag.objects.create(name="Mental health").slug == "mental-health"


def test_staff_without_the_member_role_have_no_profile_pages(client_for, staff):
    assert client_for(staff).get(reverse("people:profile")).status_code == 403
    assert not Profile.objects.filter(user=staff).exists()


# Access needs -------------------------------------------------------------------------------------
def test_a_member_records_access_needs_and_the_audit_row_holds_no_values(client_for, member):
    response = client_for(member).post(
        reverse("people:access_needs"), {"needs": ["bsl_interpreter", "other"], "other_details": NEEDS_MARKER}
    )
    assert response.status_code == 302
    needs = AccessNeeds.objects.get(user=member)
    assert needs.chosen == ["bsl_interpreter", "other"]
    assert needs.summary == f"BSL interpreter, {NEEDS_MARKER}"
    entry = AuditEntry.objects.get(action="access_needs.changed")
    assert entry.actor == member and NEEDS_MARKER not in entry.detail and "bsl" not in entry.detail.lower()
    html = client_for(member).get(reverse("people:profile")).content.decode()
    assert "British Sign Language (BSL) interpreter" in html and NEEDS_MARKER in html


def test_something_else_ticked_without_saying_what_is_refused_and_nothing_is_saved(client_for, member):
    AccessNeedsFactory(user=member, bsl_interpreter=True, step_free_access=False)
    response = client_for(member).post(
        reverse("people:access_needs"), {"needs": ["large_print", "other"], "other_details": "  "}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in html
    assert 'href="#id_other_details"' in html and "Tell us what else you need" in html
    needs = AccessNeeds.objects.get(user=member)
    assert needs.chosen == ["bsl_interpreter"]
    assert not AuditEntry.objects.filter(action="access_needs.changed").exists()


def test_saying_what_else_without_ticking_something_else_counts_as_something_else(client_for, member):
    client_for(member).post(reverse("people:access_needs"), {"other_details": "A quiet room"})
    needs = AccessNeeds.objects.get(user=member)
    assert needs.other and needs.other_details == "A quiet room"


def test_no_needs_ticked_is_a_valid_answer(client_for, member):
    client_for(member).post(reverse("people:access_needs"), {})
    needs = AccessNeeds.objects.get(user=member)
    assert not needs.has_any
    assert AccessNeeds.objects.for_people([member]) == {}


def test_access_needs_for_many_people_are_read_in_one_query(member, other_member, staff):
    AccessNeedsFactory(user=member)
    AccessNeedsFactory(user=other_member, bsl_interpreter=False, step_free_access=False)  # none ticked
    with CaptureQueriesContext(connection) as queries:
        found = AccessNeeds.objects.for_people([member, other_member, staff.pk])
    assert len(queries) == 1
    assert list(found) == [member.pk]
    assert found[member.pk].summary == "BSL interpreter, step-free access"


def test_the_flag_include_lists_the_needs_and_shows_nothing_without_any(member):
    needs = AccessNeedsFactory(user=member)
    html = render_to_string("people/_access_needs_flag.html", {"needs": needs})
    assert "nhsuk-tag" in html and "Access needs" in html and "BSL interpreter, step-free access" in html
    assert render_to_string("people/_access_needs_flag.html", {"needs": None}).strip() == ""


def test_staff_on_the_project_see_participants_access_needs_on_the_project_page(client_for, staff, member, project):
    AccessNeedsFactory(user=member, other=True, other_details=NEEDS_MARKER)
    html = client_for(staff).get(reverse("programmes:project_detail", args=[project.public_id])).content.decode()
    assert ">Access needs</th>" in html
    assert "BSL interpreter, step-free access" in html and NEEDS_MARKER in html


@pytest.mark.parametrize("persona", ["leader", "administrator"])
def test_people_who_may_see_the_project_but_do_not_work_on_it_do_not_see_access_needs(
    client_for, request, member, project, persona
):
    AccessNeedsFactory(user=member, other=True, other_details=NEEDS_MARKER)
    viewer = request.getfixturevalue(persona)
    response = client_for(viewer).get(reverse("programmes:project_detail", args=[project.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert NEEDS_MARKER not in html and "BSL interpreter" not in html and ">Access needs</th>" not in html


def test_staff_not_on_the_project_do_not_see_participants_access_needs(client_for, other_staff, member, project):
    AccessNeedsFactory(user=member, other=True, other_details=NEEDS_MARKER)
    assert not rules.test_rule("people.see_participant_access_needs", other_staff, project)
    response = client_for(other_staff).get(reverse("programmes:project_detail", args=[project.public_id]))
    assert response.status_code == 404
    # Even staff with the project in front of them see needs only for projects they work on.
    other_project = ProjectFactory(lead=other_staff)
    TeamMembership.objects.create(programme=other_project.programme, user=other_staff)
    assert rules.test_rule("people.see_participant_access_needs", other_staff, other_project)
    assert not rules.test_rule("people.see_participant_access_needs", other_staff, project)


def test_a_member_does_not_see_other_peoples_access_needs_anywhere_they_can_go(client_for, member, other_member):
    AccessNeedsFactory(user=other_member, other=True, other_details=NEEDS_MARKER)
    client = client_for(member)
    for url_name in ["people:profile", "people:access_needs", "people:your_data", "dashboard"]:
        assert NEEDS_MARKER not in client.get(reverse(url_name)).content.decode()
    assert NEEDS_MARKER not in client.get(reverse("people:your_data_download")).content.decode()


def test_project_page_queries_stay_flat_with_participants_who_have_access_needs(client_for, staff, project):
    def add(n):
        for _ in range(n):
            number = project.participants.count()
            person = make_person(f"Participant {number}", f"participant{number}@example.org")
            ParticipantFactory(project=project, member=person)
            AccessNeedsFactory(user=person)

    url = reverse("programmes:project_detail", args=[project.public_id])
    assert assert_flat_queries(client_for(staff), url, add) < 40


# The dashboard nudge ------------------------------------------------------------------------------
def test_a_new_member_is_nudged_to_complete_their_profile_until_it_is_done(client_for, member):
    client = client_for(member)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Complete your profile" in html and reverse("people:profile_edit") in html
    ProfileFactory(user=member)
    AccessNeedsFactory(user=member)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Complete your profile" in html and "Read the privacy notice" in html
    ConsentFactory(user=member)
    assert "Complete your profile" not in client.get(reverse("dashboard")).content.decode()


def test_a_consent_to_an_older_privacy_notice_does_not_count(client_for, member):
    ProfileFactory(user=member)
    AccessNeedsFactory(user=member)
    ConsentFactory(user=member, privacy_notice_version="0")
    assert "Complete your profile" in client_for(member).get(reverse("dashboard")).content.decode()


def test_staff_are_not_nudged_to_complete_a_member_profile(client_for, staff):
    assert "Complete your profile" not in client_for(staff).get(reverse("dashboard")).content.decode()
