from django.urls import path

from recognition.views import finance, member, public, staff

app_name = "recognition"

urlpatterns = [
    # Members
    path("involvement/", member.log_list, name="log_list"),
    path("involvement/log/", member.log_create, name="log_create"),
    path("involvement/<uuid:public_id>/edit/", member.log_edit, name="log_edit"),
    path("expenses/", member.claim_list, name="claim_list"),
    path("expenses/create/", member.claim_create, name="claim_create"),
    path("expenses/<uuid:public_id>/", member.claim_detail, name="claim_detail"),
    path("expenses/<uuid:public_id>/costs/add/", member.item_add, name="item_add"),
    path("expenses/<uuid:public_id>/submit/", member.claim_submit, name="claim_submit"),
    path("expenses/costs/<uuid:public_id>/remove/", member.item_remove, name="item_remove"),
    path("receipts/<uuid:public_id>/", member.receipt_download, name="receipt"),
    path("my-recognition/", member.my_recognition, name="my_recognition"),
    path("my-recognition/certificates/create/", member.certificate_create, name="certificate_create"),
    path("my-recognition/certificates/<uuid:public_id>/", member.certificate_pdf, name="certificate_pdf"),
    # Anyone
    path("certificates/check/", public.certificate_check, name="certificate_check"),
    # Staff
    path("approvals/", staff.approvals, name="approvals"),
    path("approvals/time/<uuid:public_id>/", staff.log_decide, name="log_decide"),
    path("approvals/costs/<uuid:public_id>/", staff.item_decide, name="item_decide"),
    path("rewards/<uuid:public_id>/correct/", staff.reward_correct, name="reward_correct"),
    path("attendance/<uuid:public_id>/", staff.attendance, name="attendance"),
    path("projects/<uuid:public_id>/involvement/", staff.project_involvement, name="project_involvement"),
    path("involvement-totals/", staff.totals, name="totals"),
    # Finance
    path("payments/", finance.finance_home, name="finance"),
    path("payments/batches/create/", finance.batch_create, name="batch_create"),
    path("payments/batches/<uuid:public_id>/", finance.batch_detail, name="batch_detail"),
    path("payments/batches/<uuid:public_id>/export/", finance.batch_export, name="batch_export"),
    path("payments/batches/<uuid:public_id>/download/", finance.batch_download, name="batch_download"),
    path("payments/batches/<uuid:public_id>/paid/", finance.batch_paid, name="batch_paid"),
    path("payments/batches/<uuid:public_id>/discard/", finance.batch_discard, name="batch_discard"),
]
