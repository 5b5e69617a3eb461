"""Involvement logs, two-sided: members log time, staff confirm, query or reject; attendance."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from coproduction.models import AuditEntry
from coproduction.roles import Role, role_group
from programmes.models import InvolvementPoint
from recognition.models import InvolvementLog, Reward
from tests.conftest import assert_flat_queries
from tests.programmes.factories import InvolvementPointFactory, ParticipantFactory, ProjectFactory, days_from_today
from tests.recognition.factories import make_log

pytestmark = pytest.mark.django_db


def log_data(project, day=None, **overrides):
    day = day or days_from_today(-2)
    return {
        "project": str(project.pk),
        "involvement_point": "",
        "date-day": str(day.day),
        "date-month": str(day.month),
        "date-year": str(day.year),
        "activity": "meeting",
        "hours": "2",
        "minutes": "30",
        "note": "Working group on the leaflet.",
        "choice": "payment",
        **overrides,
    }


def test_a_member_logs_time_on_a_project_they_take_part_in(client_for, member, project):
    response = client_for(member).post(reverse("recognition:log_create"), log_data(project))
    assert response.status_code == 302 and response.url == reverse("recognition:log_list")
    log = InvolvementLog.objects.get(member=member)
    assert (log.project, log.minutes, log.status, log.choice) == (project, 150, "waiting", "payment")
    assert AuditEntry.objects.filter(action="involvement.logged", actor=member, subject_id=str(log.public_id)).exists()
    listed = client_for(member).get(reverse("recognition:log_list")).content.decode()
    assert project.name in listed and "Waiting for staff to confirm" in listed


def test_a_member_cannot_log_time_on_a_project_they_are_not_part_of(client_for, member, other_member, project):
    response = client_for(other_member).post(reverse("recognition:log_create"), log_data(project))
    assert response.status_code == 200
    assert "Choose a project you take part in" in response.content.decode()
    assert not InvolvementLog.objects.exists()


def test_the_service_refuses_a_project_the_person_is_not_part_of(other_member, project):
    from recognition import services

    with pytest.raises(services.RecognitionError, match="projects you take part in"):
        services.log_involvement(
            member=other_member,
            project=project,
            date=days_from_today(-1),
            activity="meeting",
            minutes=60,
            choice="payment",
        )


def test_a_future_date_is_refused(client_for, member, project):
    response = client_for(member).post(reverse("recognition:log_create"), log_data(project, day=days_from_today(1)))
    assert "Date must be today or in the past" in response.content.decode()
    assert not InvolvementLog.objects.exists()


def test_no_time_or_more_than_a_day_is_refused(client_for, member, project):
    client = client_for(member)
    assert (
        "Enter how long it took"
        in client.post(reverse("recognition:log_create"), log_data(project, hours="0", minutes="0")).content.decode()
    )
    assert (
        "24 hours or less"
        in client.post(reverse("recognition:log_create"), log_data(project, hours="24", minutes="30")).content.decode()
    )
    assert not InvolvementLog.objects.exists()


def test_a_point_from_another_project_is_refused(client_for, member, project, point):
    elsewhere = ProjectFactory(programme=project.programme)
    ParticipantFactory(project=elsewhere, member=member)
    response = client_for(member).post(
        reverse("recognition:log_create"), log_data(elsewhere, involvement_point=str(point.pk))
    )
    assert "Choose an involvement point from the project you chose" in response.content.decode()


def test_a_likely_duplicate_is_flagged_and_can_be_confirmed_as_different(client_for, member, project):
    make_log(member, project, day=days_from_today(-2))
    client = client_for(member)
    response = client.post(reverse("recognition:log_create"), log_data(project))
    html = response.content.decode()
    assert "You may have logged this already" in html and "Check it is not the same time" in html
    assert InvolvementLog.objects.count() == 1
    response = client.post(reverse("recognition:log_create"), log_data(project, not_a_duplicate="on"))
    assert response.status_code == 302
    assert InvolvementLog.objects.count() == 2


def test_a_rejected_log_is_not_a_duplicate(client_for, member, project):
    make_log(member, project, day=days_from_today(-2), status="rejected", decision_reason="Wrong project")
    assert client_for(member).post(reverse("recognition:log_create"), log_data(project)).status_code == 302


def test_a_member_answers_a_query_by_changing_their_log(client_for, member, staff, project, sent_emails):
    from recognition import services

    log = make_log(member, project, minutes=60)
    services.query_log(log=log, by=staff, reason="Was this the leaflet meeting?")
    assert "Was this the leaflet meeting?" in sent_emails[-1].body
    client = client_for(member)
    assert "Staff asked:" in client.get(reverse("recognition:log_edit", args=[log.public_id])).content.decode()
    response = client.post(
        reverse("recognition:log_edit", args=[log.public_id]),
        log_data(project, day=log.date, hours="1", minutes="15", not_a_duplicate="on"),
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert (log.status, log.minutes) == ("waiting", 75)


def test_a_confirmed_log_cannot_be_changed_and_another_members_log_is_hidden(
    client_for, member, other_member, staff, project
):
    from recognition import services

    log = make_log(member, project)
    services.confirm_log(log=log, by=staff)
    assert client_for(member).get(reverse("recognition:log_edit", args=[log.public_id])).status_code == 403
    assert client_for(other_member).get(reverse("recognition:log_edit", args=[log.public_id])).status_code == 404
    assert (
        client_for(other_member)
        .post(reverse("recognition:log_edit", args=[log.public_id]), log_data(project))
        .status_code
        == 404
    )


def test_staff_confirm_time_and_the_reward_is_written(client_for, member, staff, project):
    log = make_log(member, project, minutes=120)
    client = client_for(staff)
    page = client.get(reverse("recognition:log_decide", args=[log.public_id])).content.decode()
    assert "they will be owed £30.00" in page and "£15.00 an hour" in page
    response = client.post(reverse("recognition:log_decide", args=[log.public_id]), {"decision": "confirm"})
    assert response.status_code == 302
    log.refresh_from_db()
    assert (log.status, log.decided_by) == ("confirmed", staff)
    reward = Reward.objects.get(log=log)
    assert (reward.amount, reward.created_by) == (Decimal("30.00"), staff)
    assert AuditEntry.objects.filter(action="involvement.confirmed", actor=staff).exists()


def test_querying_or_rejecting_needs_a_reason_and_tells_the_member(client_for, member, staff, project, sent_emails):
    log = make_log(member, project)
    client = client_for(staff)
    url = reverse("recognition:log_decide", args=[log.public_id])
    assert "Enter your question or reason" in client.post(url, {"decision": "reject"}).content.decode()
    client.post(url, {"decision": "reject", "reason": "You were not at this meeting."})
    log.refresh_from_db()
    assert (log.status, log.decision_reason) == ("rejected", "You were not at this meeting.")
    assert not Reward.objects.exists()
    assert sent_emails[-1].to == [member.email] and "You were not at this meeting." in sent_emails[-1].body


def test_staff_act_only_on_their_own_programmes(client_for, member, other_staff, project):
    log = make_log(member, project)
    client = client_for(other_staff)
    assert client.get(reverse("recognition:log_decide", args=[log.public_id])).status_code == 404
    assert (
        client.post(reverse("recognition:log_decide", args=[log.public_id]), {"decision": "confirm"}).status_code == 404
    )
    log.refresh_from_db()
    assert log.status == "waiting"
    assert log not in client.get(reverse("recognition:approvals")).context["logs"]


def test_staff_who_also_take_part_cannot_confirm_their_own_time(client_for, staff, project):
    staff.groups.add(role_group(Role.MEMBER))
    ParticipantFactory(project=project, member=staff)
    log = make_log(staff, project)
    client = client_for(staff)
    assert (
        client.post(reverse("recognition:log_decide", args=[log.public_id]), {"decision": "confirm"}).status_code == 403
    )
    assert not Reward.objects.exists()
    assert log not in client.get(reverse("recognition:approvals")).context["logs"]


def test_a_member_cannot_decide_their_own_time(client_for, member, project):
    log = make_log(member, project)
    assert (
        client_for(member)
        .post(reverse("recognition:log_decide", args=[log.public_id]), {"decision": "confirm"})
        .status_code
        == 403
    )
    log.refresh_from_db()
    assert log.status == "waiting"


def test_two_decisions_at_once_cannot_both_win(member, staff, other_staff, project):
    from recognition import services

    log = make_log(member, project)
    services.confirm_log(log=log, by=staff)
    with pytest.raises(services.RecognitionError, match="already made a decision"):
        services.confirm_log(log=log, by=other_staff)
    assert Reward.objects.filter(log=log).count() == 1


# Attendance ---------------------------------------------------------------------------------------
@pytest.fixture
def people_at_point(project, other_member):
    ParticipantFactory(project=project, member=other_member)
    return project


def test_staff_mark_attendance_and_everyone_present_gets_confirmed_time(
    client_for, staff, member, other_member, point, people_at_point
):
    make_log(member, point.project, point=point, day=point.planned_date)  # member logged it themselves
    client = client_for(staff)
    page = client.get(reverse("recognition:attendance", args=[point.public_id])).content.decode()
    assert other_member.name in page
    response = client.post(
        reverse("recognition:attendance", args=[point.public_id]),
        {"people": [str(other_member.pk)], "activity": "workshop", "hours": "4", "minutes": "0"},
    )
    assert response.status_code == 302
    log = InvolvementLog.objects.get(member=other_member)
    assert (log.status, log.source, log.minutes, log.decided_by) == ("confirmed", "attendance", 240, staff)
    reward = Reward.objects.get(log=log)
    assert (reward.unit, reward.amount) == ("full_day", Decimal("150.00"))
    assert InvolvementLog.objects.get(member=member).status == "waiting"  # left for the approvals queue


def test_attendance_marks_a_planned_point_as_happened(staff, other_member, project, people_at_point):
    from recognition import services

    point = InvolvementPointFactory(project=project, planned_date=days_from_today(-1))
    services.record_attendance(point=point, by=staff, members=[other_member], activity="meeting", minutes=60)
    point.refresh_from_db()
    assert point.status == InvolvementPoint.Status.HAPPENED


def test_attendance_cannot_be_recorded_for_a_future_point_or_for_yourself(staff, member, project):
    from recognition import services

    future = InvolvementPointFactory(project=project, planned_date=days_from_today(3))
    with pytest.raises(services.RecognitionError, match="once the involvement point has happened"):
        services.record_attendance(point=future, by=staff, members=[member], activity="meeting", minutes=60)
    past = InvolvementPointFactory(project=project, planned_date=days_from_today(-3))
    with pytest.raises(services.RecognitionError, match="your own"):
        services.record_attendance(point=past, by=staff, members=[staff], activity="meeting", minutes=60)


def test_attendance_is_for_the_projects_staff_only(client_for, other_staff, member, point):
    assert client_for(other_staff).get(reverse("recognition:attendance", args=[point.public_id])).status_code == 404
    assert client_for(member).get(reverse("recognition:attendance", args=[point.public_id])).status_code == 404


def test_attendance_flags_access_needs(client_for, staff, member, point, monkeypatch):
    from recognition import people_data

    needs = SimpleNamespace(summary="BSL interpreter, step-free access")
    monkeypatch.setattr(people_data, "access_needs_for", lambda people: {member.pk: needs})
    page = client_for(staff).get(reverse("recognition:attendance", args=[point.public_id])).content.decode()
    assert "BSL interpreter, step-free access" in page


def test_attendance_says_when_access_needs_cannot_be_read(client_for, staff, point, monkeypatch):
    from recognition import people_data

    monkeypatch.setattr(people_data, "access_needs_for", lambda people: None)
    page = client_for(staff).get(reverse("recognition:attendance", args=[point.public_id])).content.decode()
    assert "Access needs could not be checked" in page


def test_attendance_flags_access_needs_recorded_in_people(client_for, staff, member, other_member, point):
    from tests.people.factories_profiles import AccessNeedsFactory

    ParticipantFactory(project=point.project, member=other_member)
    AccessNeedsFactory(user=member, bsl_interpreter=True, step_free_access=True)
    page = client_for(staff).get(reverse("recognition:attendance", args=[point.public_id])).content.decode()
    assert "BSL interpreter, step-free access" in page
    assert "None recorded" in page  # other_member has none
    assert "could not be checked" not in page


# Query counts -------------------------------------------------------------------------------------
def test_the_logs_list_query_count_is_flat(client_for, member, project, point):
    def add(n):
        for i in range(n):
            make_log(member, project, point=point if i % 2 else None, day=days_from_today(-1 - i % 20))

    assert_flat_queries(client_for(member), reverse("recognition:log_list"), add)


def test_the_approvals_queue_query_count_is_flat(client_for, member, staff, project, point):
    from recognition import services

    def add(n):
        for i in range(n):
            make_log(member, project, point=point if i % 2 else None, day=days_from_today(-1 - i % 20))
            claim = services.start_claim(member=member, project=project)
            services.add_expense_item(
                claim=claim,
                by=member,
                category="home",
                date=days_from_today(-1),
                description="Phone data",
                amount=Decimal("2"),
            )
            services.submit_claim(claim=claim, by=member)

    assert_flat_queries(client_for(staff), reverse("recognition:approvals"), add, many=20)


def test_the_thanks_choice_starts_from_the_members_saved_preference(
    client_for, member, staff, other_member, point, monkeypatch
):
    from recognition import people_data, services

    monkeypatch.setattr(people_data, "payment_preference", lambda user: "no_payment")
    form = client_for(member).get(reverse("recognition:log_create")).context["form"]
    assert form.initial["choice"] == "no_payment"
    ParticipantFactory(project=point.project, member=other_member)
    services.record_attendance(point=point, by=staff, members=[other_member], activity="workshop", minutes=60)
    reward = Reward.objects.get(member=other_member)
    assert (reward.choice, reward.amount, reward.value) == ("no_payment", Decimal("0.00"), Decimal("75.00"))


def test_the_saved_profile_preference_is_read_and_none_means_payment(member, other_member):
    from recognition import services
    from tests.people.factories_profiles import ProfileFactory

    ProfileFactory(user=member, payment_preference="voucher")
    ProfileFactory(user=other_member, payment_preference="")
    assert services.default_choice(member) == "voucher"
    assert services.default_choice(other_member) == "payment"
