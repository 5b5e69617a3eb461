"""How champion commitments and sign-off requests are shown: status tags and public names.

Presenting logic lives here, not in templates: views call `with_status_tags(...)` on what they
list, and templates read `item.status_tag.label` and `item.status_tag.css_class`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from programmes.models import ChampionCommitment, SignOffRequest

Commitment = ChampionCommitment.Status
SignOff = SignOffRequest.Status

TAG_COLOURS = {
    ChampionCommitment: {
        Commitment.REQUESTED: "nhsuk-tag--blue",
        Commitment.ACTIVE: "nhsuk-tag--green",
        Commitment.DECLINED: "nhsuk-tag--red",
        Commitment.WITHDRAWN: "nhsuk-tag--grey",
        Commitment.LAPSED: "nhsuk-tag--orange",
    },
    SignOffRequest: {
        SignOff.WAITING: "nhsuk-tag--blue",
        SignOff.APPROVED: "nhsuk-tag--green",
        SignOff.DECLINED: "nhsuk-tag--red",
        SignOff.WITHDRAWN: "nhsuk-tag--grey",
    },
}


@dataclass(frozen=True)
class StatusTag:
    label: str
    css_class: str


def status_tag(item) -> StatusTag:
    colours = TAG_COLOURS[type(item)]
    return StatusTag(label=item.get_status_display(), css_class=f"nhsuk-tag {colours.get(item.status, '')}".strip())


def with_status_tags(items):
    """Give each commitment or sign-off request a `status_tag`; returns the items as a list."""
    items = list(items)
    for item in items:
        item.status_tag = status_tag(item)
    return items


def public_name(user) -> str:
    """A leader's name for public pages: never their email address."""
    return user.name or str(_("A senior leader"))
