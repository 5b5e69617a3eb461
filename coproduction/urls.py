from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from coproduction import views

# The Django admin signs in through allauth, so it gets the same rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Co-production Portal administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("your-account/", views.my_account, name="my_account"),
    path("healthz", views.healthz, name="healthz"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/create/", views.invitation_create, name="invitation_create"),
    path("invitations/<uuid:public_id>/withdraw/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("", include("programmes.urls")),
    path("", include("people.urls")),
    path("", include("recognition.urls")),
    path("", include("reporting.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "coproduction.views.permission_denied"
