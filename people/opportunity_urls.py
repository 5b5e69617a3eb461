"""Opportunities, applications, selection and reach reports. Included by people/urls.py."""

from django.urls import path

from people.views import opportunities as views

urlpatterns = [
    # Everyone
    path("opportunities/", views.opportunity_list, name="opportunity_list"),
    path("opportunities/<uuid:public_id>/", views.opportunity_detail, name="opportunity_detail"),
    # Staff on the programme
    path("opportunities/manage/", views.opportunity_manage, name="opportunity_manage"),
    path("projects/<uuid:public_id>/opportunities/create/", views.opportunity_create, name="opportunity_create"),
    path("opportunities/<uuid:public_id>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<uuid:public_id>/publish/", views.opportunity_publish, name="opportunity_publish"),
    path("opportunities/<uuid:public_id>/close/", views.opportunity_close, name="opportunity_close"),
    path("opportunities/<uuid:public_id>/filled/", views.opportunity_fill, name="opportunity_fill"),
    path("opportunities/<uuid:public_id>/applications/", views.applications, name="applications"),
    path("opportunities/<uuid:public_id>/applications/decide/", views.application_decide, name="application_decide"),
    path("opportunities/<uuid:public_id>/shortlisting-done/", views.shortlisting_done, name="shortlisting_done"),
    path("opportunities/<uuid:public_id>/reach/", views.reach_opportunity, name="reach_opportunity"),
    path(
        "opportunities/<uuid:public_id>/reach.csv", views.reach_download_opportunity, name="reach_download_opportunity"
    ),
    path("programmes/<uuid:public_id>/reach/", views.reach_programme, name="reach_programme"),
    path("programmes/<uuid:public_id>/reach.csv", views.reach_download_programme, name="reach_download_programme"),
    # Members
    path("opportunities/<uuid:public_id>/apply/", views.apply, name="apply"),
    path("my-applications/", views.my_applications, name="my_applications"),
    path("my-applications/<uuid:public_id>/", views.application_detail, name="application_detail"),
    path("my-applications/<uuid:public_id>/withdraw/", views.application_withdraw, name="application_withdraw"),
    # Administrators
    path("population-figures/", views.population_upload, name="population_upload"),
]
