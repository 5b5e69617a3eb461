"""Recognition: involvement logs, expenses and receipts, rewards, payment batches, certificates.

`member` owns the logs, claims and certificate; `staff` is on the project's programme team;
`finance` builds batches. Administrators get no shortcut here (money keeps separation of duties):
they see totals like leaders, and nothing that is a member's, staff's or finance's to act on.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from programmes.models import Participant
from recognition import services
from recognition.models import Receipt
from recognition.receipts import receipt_storage
from tests.authorisation.matrix import DENIED, HIDDEN, OK, REDIRECT, Row, only, public
from tests.recognition.factories import default_rate_card, level, make_log, png_bytes

MATRIX_RECEIPT = "receipts/authorisation-matrix/receipt.png"


def _receipt(item, member):
    """One shared file for every world (written once), so the matrix does not fill the disk."""
    storage = receipt_storage()
    if not storage.exists(MATRIX_RECEIPT):
        storage.save(MATRIX_RECEIPT, ContentFile(png_bytes()))
    return Receipt.objects.create(
        item=item,
        file=MATRIX_RECEIPT,
        original_name="receipt.png",
        content_type="image/png",
        size=len(png_bytes()),
        uploaded_by=member,
    )


def build_world(world):
    people = world["people"]
    member, staff, finance = people["member"], people["staff"], people["finance"]
    project = world["project"]
    default_rate_card()
    Participant.objects.filter(pk=world["participant"].pk).update(involvement_level=level(3))
    today = timezone.localdate()

    waiting_log = make_log(member, project, day=today - timedelta(days=2))
    paid_reward = services.confirm_log(log=make_log(member, project, day=today - timedelta(days=9)), by=staff)
    exported = services.build_batch(by=finance, up_to=today)
    services.export_batch(batch=exported, by=finance)
    reward = services.confirm_log(log=make_log(member, project, day=today - timedelta(days=5)), by=staff)
    built = services.build_batch(by=finance, up_to=today)

    draft = services.start_claim(member=member, project=project)
    draft_item = services.add_expense_item(
        claim=draft, by=member, category="home", date=today, description="Phone data", amount=2
    )
    sent = services.start_claim(member=member, project=project)
    sent_item = services.add_expense_item(
        claim=sent, by=member, category="home", date=today, description="Phone data", amount=3
    )
    receipt = _receipt(sent_item, member)
    services.submit_claim(claim=sent, by=member)
    certificate = services.issue_certificate(member=member)
    return {
        "recognition_log": waiting_log,
        "recognition_reward": reward,
        "recognition_paid_reward": paid_reward,
        "recognition_built_batch": built,
        "recognition_exported_batch": exported,
        "recognition_draft_claim": draft,
        "recognition_draft_item": draft_item,
        "recognition_sent_claim": sent,
        "recognition_sent_item": sent_item,
        "recognition_receipt": receipt,
        "recognition_certificate": certificate,
    }


def arg(key):
    return lambda world: [world[key].public_id]


MEMBERS = only("member", "other_member")
STAFF_ROLE = only("staff", "other_staff")
FINANCE = only("finance")
# The member's own record: theirs to see; staff on the team may see it but not change it; anyone
# else must not learn it exists.
OWNER_CHANGES = only("member", others=HIDDEN, staff=DENIED)
# A decision by staff on the team; the member it is about may see it exists but not decide it.
TEAM_DECIDES = only("staff", others=HIDDEN, member=DENIED)
# A sent claim: the claimant, the project's staff and finance.
CLAIM_READERS = only("member", "staff", "finance", others=HIDDEN)
TEAM_ONLY = only("staff", others=HIDDEN)
ONLY_OWNER = only("member", others=HIDDEN)

ROWS = [
    # Members
    Row("recognition:log_list", get=MEMBERS),
    Row("recognition:log_create", get=MEMBERS, post=MEMBERS),
    Row("recognition:log_edit", get=OWNER_CHANGES, post=OWNER_CHANGES, args=arg("recognition_log")),
    Row("recognition:claim_list", get=MEMBERS),
    Row("recognition:claim_create", get=MEMBERS, post=MEMBERS),
    Row("recognition:claim_detail", get=CLAIM_READERS, args=arg("recognition_sent_claim")),
    Row("recognition:item_add", get=ONLY_OWNER, post=ONLY_OWNER, args=arg("recognition_draft_claim")),
    Row(
        "recognition:claim_submit",
        get=None,
        post=only("member", outcome=REDIRECT, others=HIDDEN),
        args=arg("recognition_draft_claim"),
    ),
    Row(
        "recognition:item_remove",
        get=None,
        post=only("member", outcome=REDIRECT, others=HIDDEN),
        args=arg("recognition_draft_item"),
    ),
    Row("recognition:receipt", get=CLAIM_READERS, args=arg("recognition_receipt")),
    Row("recognition:my_recognition", get=MEMBERS),
    Row("recognition:certificate_create", get=None, post=only("member", "other_member", outcome=REDIRECT)),
    Row("recognition:certificate_pdf", get=ONLY_OWNER, args=arg("recognition_certificate")),
    # Anyone: the public certificate check.
    Row("recognition:certificate_check", get=public(OK)),
    # Staff
    Row("recognition:approvals", get=STAFF_ROLE),
    Row("recognition:log_decide", get=TEAM_DECIDES, post=TEAM_DECIDES, args=arg("recognition_log")),
    Row(
        "recognition:item_decide",
        get=only("staff", others=HIDDEN, member=DENIED, finance=DENIED),
        post=only("staff", others=HIDDEN, member=DENIED, finance=DENIED),
        args=arg("recognition_sent_item"),
    ),
    Row("recognition:reward_correct", get=TEAM_DECIDES, post=TEAM_DECIDES, args=arg("recognition_reward")),
    Row("recognition:attendance", get=TEAM_ONLY, post=TEAM_ONLY, args=lambda world: [world["point"].public_id]),
    Row("recognition:project_involvement", get=TEAM_ONLY, args=lambda world: [world["project"].public_id]),
    Row("recognition:totals", get=only("staff", "other_staff", "leader", "administrator")),
    # Finance
    Row("recognition:finance", get=FINANCE),
    Row("recognition:batch_create", get=FINANCE, post=FINANCE),
    Row("recognition:batch_detail", get=FINANCE, args=arg("recognition_built_batch")),
    Row(
        "recognition:batch_export",
        get=None,
        post=only("finance", outcome=REDIRECT),
        args=arg("recognition_built_batch"),
    ),
    Row("recognition:batch_download", get=FINANCE, args=arg("recognition_exported_batch")),
    Row(
        "recognition:batch_paid",
        get=None,
        post=only("finance", outcome=REDIRECT),
        args=arg("recognition_exported_batch"),
    ),
    Row(
        "recognition:batch_discard",
        get=None,
        post=only("finance", outcome=REDIRECT),
        args=arg("recognition_built_batch"),
    ),
]
