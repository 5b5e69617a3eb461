"""Opportunities, applications, fair selection and reach (step 2).

The world: an open opportunity on `world["project"]` (whose programme `staff` leads), to which
`member` has applied; a draft opportunity on the same project. Opportunities are public once
published; everything about applications is for the programme's team (staff) and administrators.
Leaders may see every programme, so on staff pages they are told "not allowed" (403) rather than
"not found"; they may read reach reports, which hold only suppressed totals. Staff off the team,
members and finance get 404: they must not learn what exists. Applying is for members only
(administrators are not members, so the rule is checked as written, without the superuser pass).
"""

from people.models import Opportunity
from tests.authorisation.matrix import DENIED, HIDDEN, REDIRECT, Row, only, public
from tests.people.factories_opportunities import ApplicationFactory, OpportunityFactory


def build_world(world):
    people = world["people"]
    project = world["project"]
    opportunity = OpportunityFactory(project=project, title="Join our breathing group")
    draft = OpportunityFactory(project=project, title="A draft", status=Opportunity.Status.DRAFT)
    application = ApplicationFactory(opportunity=opportunity, applicant=people["member"])
    return {"opportunity": opportunity, "draft_opportunity": draft, "application": application}


def _opportunity(world):
    return [world["opportunity"].public_id]


def _draft(world):
    return [world["draft_opportunity"].public_id]


def _application(world):
    return [world["application"].public_id]


def _project(world):
    return [world["project"].public_id]


def _programme(world):
    return [world["programme"].public_id]


TEAM = only("staff", "administrator", others=HIDDEN, leader=DENIED)
TEAM_ACTS = only("staff", "administrator", outcome=REDIRECT, others=HIDDEN, leader=DENIED)
REACH = only("staff", "leader", "administrator", others=HIDDEN)
APPLICANT = only("member", others=HIDDEN)

ROWS = [
    Row("people:opportunity_list", get=public()),
    Row("people:opportunity_detail", get=public(), args=_opportunity),
    Row("people:opportunity_manage", get=only("staff", "other_staff", "administrator")),
    # An empty POST is shown again with the errors next to the fields.
    Row("people:opportunity_create", get=TEAM, post=TEAM, args=_project),
    Row("people:opportunity_edit", get=TEAM, post=TEAM, args=_opportunity),
    Row("people:opportunity_publish", get=None, post=TEAM_ACTS, args=_draft),
    Row("people:opportunity_close", get=None, post=TEAM_ACTS, args=_opportunity),
    Row("people:opportunity_fill", get=None, post=TEAM_ACTS, args=_opportunity),
    Row("people:applications", get=TEAM, args=_opportunity),
    Row("people:application_decide", get=TEAM, post=TEAM, args=_opportunity),
    # Still open: staff are sent back with "close it first".
    Row("people:shortlisting_done", get=None, post=TEAM_ACTS, args=_opportunity),
    Row("people:reach_opportunity", get=REACH, args=_opportunity),
    Row("people:reach_download_opportunity", get=REACH, args=_opportunity),
    Row("people:reach_programme", get=REACH, args=_programme),
    Row("people:reach_download_programme", get=REACH, args=_programme),
    # `member` has applied already, so is sent to their application; `other_member` may apply.
    Row(
        "people:apply",
        get=only("other_member", member=REDIRECT),
        post=only("other_member", member=REDIRECT),
        args=_opportunity,
    ),
    Row("people:my_applications", get=only("member", "other_member")),
    Row("people:application_detail", get=APPLICANT, args=_application),
    Row(
        "people:application_withdraw",
        get=APPLICANT,
        post=only("member", outcome=REDIRECT, others=HIDDEN),
        args=_application,
    ),
    Row("people:population_upload", get=only("administrator"), post=only("administrator")),
]
