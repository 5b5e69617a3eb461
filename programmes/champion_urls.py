"""Champion commitments and sign-off requests (step 1). Included by programmes/urls.py."""

from django.urls import path

from programmes.views import champions

urlpatterns = [
    path("champions/", champions.champions_page, name="champions"),
    path("commitments/", champions.commitment_list, name="commitment_list"),
    path("commitments/create/", champions.commitment_create, name="commitment_create"),
    path("commitments/ask/", champions.commitment_request, name="commitment_request"),
    path("commitments/<uuid:public_id>/", champions.commitment_detail, name="commitment_detail"),
    path("commitments/<uuid:public_id>/decide/", champions.commitment_decide, name="commitment_decide"),
    path("commitments/<uuid:public_id>/withdraw/", champions.commitment_withdraw, name="commitment_withdraw"),
    path("commitments/<uuid:public_id>/renew/", champions.commitment_renew, name="commitment_renew"),
    path("programmes/<uuid:public_id>/sign-off/ask/", champions.signoff_request, name="signoff_request"),
    path("sign-offs/<uuid:public_id>/", champions.signoff_detail, name="signoff_detail"),
    path("sign-offs/<uuid:public_id>/decide/", champions.signoff_decide, name="signoff_decide"),
    path("sign-offs/<uuid:public_id>/withdraw/", champions.signoff_withdraw, name="signoff_withdraw"),
]
