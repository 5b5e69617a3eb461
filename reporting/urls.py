from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    # Members
    path("tell-us/", views.you_said_create, name="you_said_create"),
    path("what-you-told-us/", views.my_you_said, name="my_you_said"),
    path("report-emails/", views.my_subscriptions, name="my_subscriptions"),
    # Staff: "You said / We did" for a programme
    path("programmes/<uuid:public_id>/you-said/", views.you_said_list, name="you_said_list"),
    path("programmes/<uuid:public_id>/you-said/create/", views.you_said_record, name="you_said_record"),
    path("programmes/<uuid:public_id>/we-did/create/", views.we_did_create, name="we_did_create"),
    path("we-did/<uuid:public_id>/edit/", views.we_did_edit, name="we_did_edit"),
    # Staff: reports and schedules
    path("reports/", views.schedules, name="schedules"),
    path("reports/schedules/create/", views.schedule_create, name="schedule_create"),
    path("reports/schedules/<uuid:public_id>/", views.schedule_detail, name="schedule_detail"),
    path("reports/schedules/<uuid:public_id>/subscribe/", views.schedule_subscribe, name="schedule_subscribe"),
    path("reports/create/", views.report_now, name="report_now"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:public_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<uuid:public_id>/csv/", views.report_csv, name="report_csv"),
    path("reports/<uuid:public_id>/publish/", views.report_publish, name="report_publish"),
    # The seven-steps review
    path("programmes/<uuid:public_id>/review/", views.review, name="review"),
    path("programmes/<uuid:public_id>/review/self-assessment/", views.self_assessment, name="self_assessment"),
    path("review/", views.review_system, name="review_system"),
    # Public
    path("we-said-we-did/", views.public_reports, name="public_reports"),
    path("we-said-we-did/<uuid:public_id>/", views.public_report, name="public_report"),
    path("we-said-we-did/<uuid:public_id>/pdf/", views.public_report_pdf, name="public_report_pdf"),
    path("we-said-we-did/<uuid:public_id>/csv/", views.public_report_csv, name="public_report_csv"),
]
