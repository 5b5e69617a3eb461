"""'You said' from members and staff; 'We did' answers; the member is told and sees the difference."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coproduction.models import AuditEntry
from people import personal_data
from recognition import differences
from reporting import services
from reporting.models import Theme, WeDid, YouSaid
from tests.conftest import assert_flat_queries
from tests.programmes.factories import ProjectFactory
from tests.reporting.factories import WeDidFactory, YouSaidFactory, answered

pytestmark = pytest.mark.django_db


def tell(client, project, text="The classes are too far away.", theme=Theme.ACCESS):
    return client.post(
        reverse("reporting:you_said_create"), {"about": f"project:{project.public_id}", "theme": theme, "text": text}
    )


# "You said" ---------------------------------------------------------------------------------------
def test_a_member_tells_us_about_a_project_they_take_part_in(client_for, member, project):
    response = tell(client_for(member), project)
    assert response.status_code == 302 and response["Location"] == reverse("reporting:my_you_said")
    item = YouSaid.objects.get()
    assert (item.member, item.project, item.programme, item.source) == (member, project, project.programme, "portal")
    assert item.said_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="you_said.raised", subject_id=str(item.public_id), actor=member).exists()


def test_a_member_cannot_tell_us_about_a_project_they_are_not_in(client_for, other_member, project):
    response = tell(client_for(other_member), project)
    assert response.status_code == 200 and "You can tell us about a project once you take part" in response.text
    assert not YouSaid.objects.exists()


def test_the_form_says_plainly_what_is_missing(client_for, member, project):
    response = client_for(member).post(reverse("reporting:you_said_create"), {})
    assert "Choose what it is about" in response.text and "Tell us what you want to say" in response.text


def test_members_see_only_their_own_items(client_for, member, other_member, project):
    YouSaidFactory(programme=project.programme, member=member, text="Mine: more evening classes")
    YouSaidFactory(programme=project.programme, member=other_member, text="Not mine: parking is hard")
    html = client_for(member).get(reverse("reporting:my_you_said")).text
    assert "Mine: more evening classes" in html and "Not mine" not in html


def test_staff_record_what_was_said_at_an_involvement_point_anonymously(staff, programme, project):
    from tests.programmes.factories import InvolvementPointFactory

    point = InvolvementPointFactory(project=project)
    item = services.record_you_said(
        by=staff,
        programme=programme,
        theme=Theme.COMMUNICATION,
        text="Letters arrive after the appointment.",
        said_on=timezone.localdate(),
        source=YouSaid.Source.OTHER,
        involvement_point=point,
    )
    assert item.member is None and item.source == YouSaid.Source.INVOLVEMENT_POINT and item.project == project


def test_staff_cannot_record_an_item_against_another_programmes_point(staff, programme, project):
    from tests.programmes.factories import InvolvementPointFactory

    elsewhere = InvolvementPointFactory(project=ProjectFactory())
    with pytest.raises(ValidationError) as error:
        services.record_you_said(
            by=staff,
            programme=programme,
            theme=Theme.OTHER,
            text="Anything",
            said_on=timezone.localdate(),
            source=YouSaid.Source.OTHER,
            involvement_point=elsewhere,
        )
    assert "involvement_point" in error.value.error_dict


def test_the_staff_list_shows_who_said_it_or_anonymous_and_has_flat_queries(client_for, staff, member, programme):
    YouSaidFactory(programme=programme, member=member, text="Named item")
    YouSaidFactory(programme=programme, member=None, text="Anonymous item")
    client = client_for(staff)
    html = client.get(reverse("reporting:you_said_list", args=[programme.public_id])).text
    assert member.name in html and "Anonymous" in html

    def add(n):
        for _ in range(n):
            we_did = WeDidFactory(programme=programme, owner=staff)
            answered(YouSaidFactory(programme=programme, member=member), we_did)
            YouSaidFactory(programme=programme, member=member)

    url = reverse("reporting:you_said_list", args=[programme.public_id]) + "?show=all"
    assert_flat_queries(client, url, add, few=1, many=20)


# "We did" -----------------------------------------------------------------------------------------
def test_one_we_did_answers_several_items_and_each_member_is_told_once(
    client_for, sent_emails, staff, member, other_member, programme, project
):
    first = YouSaidFactory(programme=programme, member=member, said_on=timezone.localdate() - timedelta(days=6))
    second = YouSaidFactory(programme=programme, member=other_member, said_on=timezone.localdate() - timedelta(days=2))
    anonymous = YouSaidFactory(programme=programme, member=None)
    due = timezone.localdate() + timedelta(days=30)
    response = client_for(staff).post(
        reverse("reporting:we_did_create", args=[programme.public_id]),
        {
            "items": [first.pk, second.pk, anonymous.pk],
            "action": "Run classes at the community centre on the bus route.",
            "owner": staff.pk,
            "due_date-day": due.day,
            "due_date-month": due.month,
            "due_date-year": due.year,
            "status": "planned",
        },
    )
    assert response.status_code == 302
    we_did = WeDid.objects.get()
    assert set(we_did.you_said_items.all()) == {first, second, anonymous}
    first.refresh_from_db()
    assert first.days_to_answer == 6 and first.told_answered_at is not None
    assert sorted(m.to[0] for m in sent_emails) == sorted([member.email, other_member.email])
    assert "community centre" in sent_emails[0].body
    # Saving again (a double click, a retry) tells nobody twice.
    services.update_we_did(
        we_did=we_did, by=staff, action=we_did.action, owner=staff, due_date=due, status="in_progress"
    )
    assert len(sent_emails) == 2


def test_done_needs_an_outcome_and_not_possible_needs_an_honest_reason(staff, member, programme):
    item = YouSaidFactory(programme=programme, member=member)
    common = {"by": staff, "programme": programme, "items": [item], "action": "Do it", "owner": staff}
    due = timezone.localdate() + timedelta(days=5)
    with pytest.raises(ValidationError) as error:
        services.record_we_did(**common, due_date=due, status="done")
    assert "outcome" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.record_we_did(**common, due_date=due, status="not_possible")
    assert "not_possible_reason" in error.value.error_dict
    assert not WeDid.objects.exists()


def test_the_owner_must_be_on_the_programme_team(staff, other_staff, member, programme):
    item = YouSaidFactory(programme=programme, member=member)
    with pytest.raises(ValidationError) as error:
        services.record_we_did(
            by=staff,
            programme=programme,
            items=[item],
            action="Do it",
            owner=other_staff,
            due_date=timezone.localdate(),
        )
    assert "owner" in error.value.error_dict


def test_finishing_the_action_tells_the_member_the_outcome_once_and_shows_on_recognition(
    client_for, sent_emails, staff, member, programme, project
):
    item = YouSaidFactory(programme=programme, project=project, member=member, text="Classes are too far away")
    we_did = services.record_we_did(
        by=staff, programme=programme, items=[item], action="Move them", owner=staff, due_date=timezone.localdate()
    )
    for _ in range(2):
        services.update_we_did(
            we_did=we_did,
            by=staff,
            action="Move them",
            owner=staff,
            due_date=timezone.localdate(),
            status="done",
            outcome="Classes now run at Northbrook community centre.",
        )
    subjects = [m.subject for m in sent_emails]
    assert len(sent_emails) == 2 and "We did what we said we would" in subjects[1]
    found = differences.for_member(member)
    assert [(d.said, d.did) for d in found] == [
        ("Classes are too far away", "Classes now run at Northbrook community centre.")
    ]
    html = client_for(member).get(reverse("recognition:my_recognition")).text
    assert "The difference you made" in html and "Northbrook community centre" in html
    html = client_for(member).get(reverse("reporting:my_you_said")).text
    assert "Northbrook community centre" in html and "Done" in html


def test_not_possible_is_told_honestly_and_is_not_shown_as_a_difference(sent_emails, staff, member, programme):
    item = YouSaidFactory(programme=programme, member=member)
    services.record_we_did(
        by=staff,
        programme=programme,
        items=[item],
        action="Open on Sundays",
        owner=staff,
        due_date=timezone.localdate(),
        status="not_possible",
        not_possible_reason="The building is shut on Sundays and we cannot pay for another.",
    )
    assert "The building is shut on Sundays" in sent_emails[-1].body
    assert differences.for_member(member) == []


def test_overdue_actions_show_on_the_owners_dashboard(client_for, staff, member, programme):
    WeDidFactory(
        programme=programme, owner=staff, action="Fix the lift signs", due_date=timezone.localdate() - timedelta(days=3)
    )
    WeDidFactory(
        programme=programme, owner=staff, action="Not yet due", due_date=timezone.localdate() + timedelta(days=3)
    )
    html = client_for(staff).get(reverse("dashboard")).text
    assert "1 of your actions is overdue" in html and "Fix the lift signs" in html and "Not yet due" not in html


def test_staff_off_the_team_cannot_answer(client_for, other_staff, programme):
    response = client_for(other_staff).get(reverse("reporting:we_did_create", args=[programme.public_id]))
    assert response.status_code == 404


# Personal data ------------------------------------------------------------------------------------
def test_what_a_member_said_is_in_their_download_and_erasure_detaches_it(member, programme):
    YouSaidFactory(programme=programme, member=member, text="Please use bigger print")
    exported = personal_data.export_for(member)["you_said"]
    assert exported["you_said"][0]["what_you_said"] == "Please use bigger print"
    personal_data.SECTIONS["you_said"].erase(member)
    assert YouSaid.objects.get().member is None
