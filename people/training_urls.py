"""Courses, sessions, bookings, training records and coverage. Included by people/urls.py."""

from django.urls import path

from people.views import training as views

urlpatterns = [
    # Everyone signed in: their own training, the catalogue, booking
    path("training/", views.my_training, name="my_training"),
    path("training/courses/", views.course_list, name="training_courses"),
    path("training/courses/<uuid:public_id>/", views.course_detail, name="training_course_detail"),
    path("training/sessions/<uuid:public_id>/book/", views.session_book, name="training_session_book"),
    path("training/bookings/<uuid:public_id>/cancel/", views.booking_cancel, name="training_booking_cancel"),
    path("training/records/add/", views.record_add, name="training_record_add"),
    path("training/records/<uuid:public_id>/certificate/", views.certificate, name="training_certificate"),
    # Staff and administrators
    path("training/manage/", views.manage, name="training_manage"),
    path("training/courses/create/", views.course_create, name="training_course_create"),
    path("training/courses/<uuid:public_id>/edit/", views.course_edit, name="training_course_edit"),
    path("training/courses/<uuid:public_id>/sessions/create/", views.session_create, name="training_session_create"),
    path("training/sessions/<uuid:public_id>/edit/", views.session_edit, name="training_session_edit"),
    path(
        "training/sessions/<uuid:public_id>/attendance/",
        views.session_attendance,
        name="training_session_attendance",
    ),
    path("training/records/import/", views.import_records, name="training_import"),
    path("training/people/<uuid:public_id>/", views.person_training, name="training_person"),
    path("programmes/<uuid:public_id>/training/", views.coverage, name="training_coverage"),
]
