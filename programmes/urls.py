from django.urls import path

from programmes import champion_urls
from programmes.views import plans, programmes

app_name = "programmes"

urlpatterns = [
    path("programmes/", programmes.programme_list, name="list"),
    path("programmes/create/", programmes.programme_create, name="create"),
    path("programmes/<uuid:public_id>/", programmes.programme_detail, name="detail"),
    path("programmes/<uuid:public_id>/edit/", programmes.programme_edit, name="edit"),
    path("programmes/<uuid:public_id>/team/", programmes.programme_team, name="team"),
    path(
        "programmes/<uuid:public_id>/team/<uuid:member_id>/remove/", programmes.team_member_remove, name="team_remove"
    ),
    path("programmes/<uuid:public_id>/projects/create/", plans.project_create, name="project_create"),
    path("projects/<uuid:public_id>/", plans.project_detail, name="project_detail"),
    path("projects/<uuid:public_id>/edit/", plans.project_edit, name="project_edit"),
    path("projects/<uuid:public_id>/points/create/", plans.point_create, name="point_create"),
    path("points/<uuid:public_id>/edit/", plans.point_edit, name="point_edit"),
    path("points/<uuid:public_id>/happened/", plans.point_happened, name="point_happened"),
    path("points/<uuid:public_id>/cancel/", plans.point_cancel, name="point_cancel"),
    path("points/<uuid:public_id>/rate/", plans.point_rate, name="point_rate"),
    path("projects/<uuid:public_id>/participants/invite/", plans.participant_invite, name="participant_invite"),
    path("my-projects/", plans.my_projects, name="my_projects"),
    path("my-projects/invitations/<uuid:public_id>/", plans.participation_respond, name="participation_respond"),
    path("partners/", programmes.partner_list, name="partner_list"),
] + champion_urls.urlpatterns
