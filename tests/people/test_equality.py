"""Equality monitoring: optional, "prefer not to say" kept apart from "not answered", shown one person
at a time only to its owner, and every read and change audited without the answers."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from coproduction.models import AuditEntry
from people.models.profiles import (
    ETHNIC_GROUPS,
    ETHNICITIES,
    PREFER_NOT_TO_SAY,
    AccessNeeds,
    EqualityMonitoring,
)
from programmes.models import TeamMembership
from tests.people.factories_profiles import EqualityMonitoringFactory, ProfileFactory
from tests.programmes.factories import ParticipantFactory, ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db

# Answers no page but the owner's own form may show: a rare postcode district and a 2021 category.
MARKER_POSTCODE = "ZE3"
MARKER_ETHNICITY = "white_roma"


def answers(**overrides):
    data = {
        "age_band": "25_34",
        "sex": PREFER_NOT_TO_SAY,
        "sexual_orientation": "bisexual",
        "ethnicity": "asian_chinese",
        "religion": "none",
        "postcode_district": "ls1",
    }
    data.update(overrides)
    return data


def test_the_ethnic_groups_are_the_19_census_2021_categories_in_5_groups_with_nhs_codes():
    assert len(ETHNIC_GROUPS) == 5
    assert len(ETHNICITIES) == 19
    codes = {key: row["nhs_code"] for key, row in ETHNICITIES.items()}
    assert codes["white_british"] == "A" and codes["white_irish"] == "B" and codes["white_other"] == "C"
    assert codes["asian_chinese"] == "R" and codes["other_any"] == "S" and codes["black_african"] == "N"
    # The 2021 additions have no code of their own: they take their group's "any other" code.
    assert codes["white_gypsy_traveller"] == codes["white_roma"] == "C" and codes["other_arab"] == "S"
    assert set(codes.values()) == set("ABCDEFGHJKLMNPRS")
    assert EqualityMonitoringFactory.build(ethnicity=PREFER_NOT_TO_SAY).ethnicity_nhs_code == "Z"


def test_a_member_answers_some_questions_and_prefer_not_to_say_is_kept_apart_from_not_answered(client_for, member):
    response = client_for(member).post(reverse("people:equality"), answers())
    assert response.status_code == 302
    record = EqualityMonitoring.objects.get(user=member)
    assert record.sex == PREFER_NOT_TO_SAY
    assert record.gender_same_as_birth == ""  # not answered
    assert record.postcode_district == "LS1"
    assert record.answered_count == 6
    assert record.answer_label("ethnicity") == "Asian, Asian British or Asian Welsh: Chinese"


def test_the_page_says_why_we_ask_and_every_question_has_prefer_not_to_say(client_for, member):
    html = client_for(member).get(reverse("people:equality")).content.decode()
    assert "Why we ask" in html and "Nobody sees your answers on their own" in html
    for question in EqualityMonitoring.QUESTIONS[:-1]:
        after = html.split(f'name="{question}"', 1)[1][:20000]
        assert f'value="{PREFER_NOT_TO_SAY}"' in after
    assert html.count("Prefer not to say") >= 8
    assert "Prefer not to say where I live" in html


def test_a_full_postcode_keeps_only_its_district(client_for, member):
    client_for(member).post(reverse("people:equality"), answers(postcode_district="sw1a 1aa"))
    assert EqualityMonitoring.objects.get(user=member).postcode_district == "SW1A"


@pytest.mark.parametrize("district", ["M14", "LS1", "SW1A", "ec1a", "B1"])
def test_postcode_districts_in_the_right_format_are_kept(client_for, member, district):
    client_for(member).post(reverse("people:equality"), answers(postcode_district=district))
    assert EqualityMonitoring.objects.get(user=member).postcode_district == district.upper()


@pytest.mark.parametrize("district", ["LS", "1LS", "LS123", "Leeds", "LS1 4"])
def test_a_wrong_postcode_district_is_refused_next_to_the_field_and_nothing_is_saved(client_for, member, district):
    EqualityMonitoringFactory(user=member, religion="buddhist", postcode_district="M14")
    response = client_for(member).post(reverse("people:equality"), answers(postcode_district=district))
    html = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in html
    assert 'href="#id_postcode_district"' in html
    assert "Enter the first part of a postcode, like LS1, M14 or SW1A" in html
    record = EqualityMonitoring.objects.get(user=member)
    assert (record.religion, record.postcode_district, record.age_band) == ("buddhist", "M14", "35_44")
    assert not AuditEntry.objects.filter(action="equality.changed").exists()


def test_prefer_not_to_say_where_i_live_is_stored_as_such_and_not_with_a_postcode(client_for, member):
    client = client_for(member)
    both = answers(postcode_district="LS1", postcode_prefer_not_to_say="on")
    response = client.post(reverse("people:equality"), both)
    assert "not both" in response.content.decode()
    client.post(reverse("people:equality"), answers(postcode_district="", postcode_prefer_not_to_say="on"))
    assert EqualityMonitoring.objects.get(user=member).postcode_district == PREFER_NOT_TO_SAY
    html = client.get(reverse("people:equality")).content.decode()
    box = html.split('name="postcode_prefer_not_to_say"')[1][:80]
    assert "checked" in box


def test_reading_and_changing_answers_is_audited_without_the_answers(client_for, member):
    client = client_for(member)
    client.post(reverse("people:equality"), answers(postcode_district=MARKER_POSTCODE, ethnicity=MARKER_ETHNICITY))
    html = client.get(reverse("people:equality")).content.decode()
    assert f'value="{MARKER_POSTCODE}"' in html  # the owner sees their own form
    record = EqualityMonitoring.objects.get(user=member)
    changed = AuditEntry.objects.get(action="equality.changed")
    read = AuditEntry.objects.get(action="equality.read")
    for entry in (changed, read):
        assert entry.actor == member and entry.subject_id == str(record.public_id)
        assert MARKER_POSTCODE not in entry.detail and "roma" not in entry.detail.lower()
    assert read.detail == "purpose=own form"


def test_a_member_deletes_their_answers(client_for, member):
    EqualityMonitoringFactory(user=member)
    response = client_for(member).post(reverse("people:equality"), {"action": "clear"})
    assert response.status_code == 302
    assert not EqualityMonitoring.objects.filter(user=member).exists()
    assert AuditEntry.objects.filter(action="equality.cleared", actor=member).exists()


def test_equality_answers_and_access_needs_are_not_in_the_django_admin():
    assert not admin.site.is_registered(EqualityMonitoring)
    assert not admin.site.is_registered(AccessNeeds)


@pytest.fixture
def seeded(member, staff):
    """`member` has marker answers, takes part in `staff`'s project and has a profile."""
    EqualityMonitoringFactory(user=member, postcode_district=MARKER_POSTCODE, ethnicity=MARKER_ETHNICITY)
    ProfileFactory(user=member)
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    project = ProjectFactory(programme=programme, lead=staff)
    ParticipantFactory(project=project, member=member)
    return {"project": project, "programme": programme}


def _pages_for(persona, seeded, member):
    pages = [
        reverse("dashboard"),
        reverse("programmes:list"),
        reverse("programmes:detail", args=[seeded["programme"].public_id]),
        reverse("programmes:project_detail", args=[seeded["project"].public_id]),
        reverse("people:your_data"),
        reverse("people:your_data_download"),
    ]
    if persona == "administrator":
        profile = member.profile
        pages += [
            reverse("admin:index"),
            reverse("admin:coproduction_user_change", args=[member.pk]),
            reverse("admin:coproduction_user_changelist"),
            reverse("admin:people_profile_changelist"),
            reverse("admin:people_profile_change", args=[profile.pk]),
            reverse("admin:coproduction_auditentry_changelist"),
            reverse("admin:people_consent_changelist"),
            reverse("admin:people_deletionrequest_changelist"),
            reverse("admin:people_livedexperiencetag_changelist"),
            reverse("people:profile"),
            reverse("people:equality"),
        ]
    return pages


@pytest.mark.parametrize("persona", ["staff", "leader", "administrator", "other_member"])
def test_nobody_else_sees_one_persons_equality_answers_on_any_page_or_in_the_admin(
    client_for, request, member, seeded, persona
):
    viewer = request.getfixturevalue(persona)
    client = client_for(viewer)
    client.get(reverse("people:equality"))  # the viewer's own form, if they have one
    for url in _pages_for(persona, seeded, member):
        response = client.get(url)
        assert response.status_code in (200, 403, 404), url
        body = response.content.decode()
        assert MARKER_POSTCODE not in body, url
        # The viewer's own blank form lists every category; nothing may show one chosen.
        outside_choices = re.sub(r"<option[^>]*>[^<]*</option>", "", body)
        assert MARKER_ETHNICITY not in outside_choices and not re.search(r"\bRoma\b", outside_choices), url
    assert not AuditEntry.objects.filter(action="equality.read").exclude(actor=viewer).exists()
