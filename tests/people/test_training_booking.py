"""Booking a place, the waiting list, and cancelling (which gives the place to the next person waiting)."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from coproduction.models import AuditEntry
from people import training as services
from people.models.training import Course, TrainingBooking
from tests.conftest import make_person
from tests.people.factories_training import CourseFactory, TrainingSessionFactory, at

pytestmark = pytest.mark.django_db
Status = TrainingBooking.Status


def book_url(session):
    return reverse("people:training_session_book", args=[session.public_id])


def test_a_member_books_a_place_and_gets_an_email(client_for, member, sent_emails):
    session = TrainingSessionFactory(course=CourseFactory(title="Telling your story"))
    response = client_for(member).post(book_url(session))
    assert response.status_code == 302 and response["Location"] == reverse("people:my_training")
    booking = TrainingBooking.objects.get()
    assert booking.person == member and booking.status == Status.BOOKED
    assert [m.to for m in sent_emails] == [[member.email]]
    assert "Your place is booked: Telling your story" in sent_emails[0].subject
    assert "Northbrook Library" in sent_emails[0].body
    assert AuditEntry.objects.filter(action="training.place_booked", actor=member).exists()


def test_booking_twice_is_refused_clearly(client_for, member):
    session = TrainingSessionFactory()
    client = client_for(member)
    client.post(book_url(session))
    response = client.post(book_url(session))
    assert response.status_code == 200
    assert "You already have a place on this session." in response.content.decode()
    assert "nhsuk-error-summary" in response.content.decode()
    assert TrainingBooking.objects.count() == 1


def test_a_second_session_of_the_same_course_is_refused_while_one_is_booked(client_for, member):
    first = TrainingSessionFactory()
    second = TrainingSessionFactory(course=first.course, starts_at=at(40))
    client = client_for(member)
    client.post(book_url(first))
    html = client.post(book_url(second)).content.decode()
    assert "You already have a place on this course on" in html
    assert TrainingBooking.objects.count() == 1


def test_a_full_session_offers_the_waiting_list(client_for, member, other_member, sent_emails):
    session = TrainingSessionFactory(places=1)
    services.book_place(session=session, person=other_member)
    client = client_for(member)
    page = client.get(book_url(session)).content.decode()
    assert "This session is full" in page and "Join the waiting list" in page
    # Pressing "Book" on a page opened before it filled up is answered with the waiting-list offer.
    refused = client.post(book_url(session))
    assert refused.status_code == 200
    assert "This session is full. You can join the waiting list instead." in refused.content.decode()
    assert not TrainingBooking.objects.filter(person=member).exists()
    joined = client.post(book_url(session), {"waiting_list": "yes"})
    assert joined.status_code == 302
    assert TrainingBooking.objects.get(person=member).status == Status.WAITING
    assert "waiting list" in sent_emails[-1].subject


def test_cancelling_a_place_gives_it_to_the_person_waiting_longest(client_for, member, other_member, sent_emails):
    session = TrainingSessionFactory(places=1)
    mine = services.book_place(session=session, person=member)
    first_waiting = services.book_place(session=session, person=other_member, join_waiting_list=True)
    third = make_person("Chris Member", "chris@example.org", "Member")
    services.book_place(session=session, person=third, join_waiting_list=True)
    sent_emails.clear()
    client = client_for(member)
    assert client.get(reverse("people:training_booking_cancel", args=[mine.public_id])).status_code == 200
    response = client.post(reverse("people:training_booking_cancel", args=[mine.public_id]))
    assert response.status_code == 302
    mine.refresh_from_db()
    first_waiting.refresh_from_db()
    assert mine.status == Status.CANCELLED and mine.cancelled_at is not None
    assert first_waiting.status == Status.BOOKED
    assert TrainingBooking.objects.get(person=third).status == Status.WAITING
    assert [m.to for m in sent_emails] == [[other_member.email]]
    assert "A place is now yours" in sent_emails[0].subject


def test_leaving_the_waiting_list_gives_nobody_a_place(member, other_member, sent_emails):
    session = TrainingSessionFactory(places=1)
    services.book_place(session=session, person=other_member)
    waiting = services.book_place(session=session, person=member, join_waiting_list=True)
    sent_emails.clear()
    services.cancel_booking(booking=waiting, by=member)
    assert session.bookings.holding_a_place().count() == 1
    assert not sent_emails


def test_cancelling_twice_is_refused(member):
    booking = services.book_place(session=TrainingSessionFactory(), person=member)
    services.cancel_booking(booking=booking, by=member)
    with pytest.raises(services.TrainingError, match="already been cancelled"):
        services.cancel_booking(booking=booking, by=member)


def test_someone_who_cancelled_can_book_again(member):
    session = TrainingSessionFactory()
    booking = services.book_place(session=session, person=member)
    services.cancel_booking(booking=booking, by=member)
    again = services.book_place(session=session, person=member)
    assert again.pk == booking.pk and again.status == Status.BOOKED


def test_only_the_person_can_cancel_their_booking(client_for, member, other_member, staff):
    booking = services.book_place(session=TrainingSessionFactory(), person=member)
    for someone in (other_member, staff):
        url = reverse("people:training_booking_cancel", args=[booking.public_id])
        assert client_for(someone).post(url).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED


def test_more_places_go_straight_to_people_waiting(staff, member, other_member, sent_emails):
    session = TrainingSessionFactory(places=1, organiser=staff)
    services.book_place(session=session, person=other_member)
    waiting = services.book_place(session=session, person=member, join_waiting_list=True)
    session.places = 2
    services.save_session(session=session, by=staff)
    waiting.refresh_from_db()
    assert waiting.status == Status.BOOKED
    assert "A place is now yours" in sent_emails[-1].subject


def test_a_session_that_has_started_cannot_be_booked(member):
    session = TrainingSessionFactory(starts_at=at(-1))
    with pytest.raises(services.TrainingError, match="already started"):
        services.book_place(session=session, person=member)


def test_a_course_for_staff_cannot_be_booked_by_a_member(client_for, member, staff):
    session = TrainingSessionFactory(course=CourseFactory(audience=Course.Audience.STAFF))
    assert client_for(member).post(book_url(session)).status_code == 404
    with pytest.raises(services.TrainingError, match="not offered to you"):
        services.book_place(session=session, person=member)
    assert client_for(staff).post(book_url(session)).status_code == 302


def test_a_course_for_members_is_not_booked_by_staff(client_for, staff):
    session = TrainingSessionFactory(course=CourseFactory(audience=Course.Audience.MEMBERS))
    # Staff can see every course (they keep the catalogue), but it is not theirs to book.
    assert client_for(staff).post(book_url(session)).status_code == 403


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the database)")
def test_people_booking_the_last_place_at_once_get_one_place_and_one_waiting_list_refusal():
    session = TrainingSessionFactory(places=1)
    people = [make_person(f"Person {n}", f"person{n}@example.org", "Member") for n in range(6)]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def book(person):
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            services.book_place(session=session, person=person)
            outcomes.append("booked")
        except services.SessionFull:
            outcomes.append("full")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=book, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked"] + ["full"] * 5
    assert session.bookings.holding_a_place().count() == 1
