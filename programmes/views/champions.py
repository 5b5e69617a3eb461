"""Step 1, leaders champion it: the public champions page, commitments and sign-off requests.

Each view: scoped fetch (404 if the person may not see it, 403 if they may see but not do this) →
bind form → valid? → call the service in programmes/champions.py → message → redirect.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from programmes import champion_forms, champions
from programmes.access import programme_for_user
from programmes.champion_labels import public_name, status_tag, with_status_tags
from programmes.models import ChampionCommitment, Programme, SignOffRequest, TeamMembership

Commitment = ChampionCommitment.Status
SignOff = SignOffRequest.Status
LIST_LIMIT = 200


def _may(user, perm: str, obj=None) -> bool:
    """Check a rule as written, without Django's "superusers may do anything" shortcut: a decision
    belongs to the leader it was addressed to, even when an administrator is looking."""
    return rules.has_perm(perm, user, obj)


# Scoped fetches -----------------------------------------------------------------------------------


def _commitment_for(user, public_id, perm: str | None = None) -> ChampionCommitment:
    commitment = (
        ChampionCommitment.objects.select_related("leader", "programme", "requested_by")
        .filter(public_id=public_id)
        .first()
    )
    if commitment is None or not _may(user, "programmes.view_commitment", commitment):
        raise Http404
    if perm and not _may(user, perm, commitment):
        raise PermissionDenied
    commitment.status_tag = status_tag(commitment)
    return commitment


def _sign_off_for(user, public_id, perm: str | None = None) -> SignOffRequest:
    sign_off = (
        SignOffRequest.objects.select_related("leader", "programme", "requested_by")
        .annotate(user_is_on_team=Exists(TeamMembership.objects.filter(programme=OuterRef("programme"), user=user.pk)))
        .filter(public_id=public_id)
        .first()
    )
    if sign_off is None:
        raise Http404
    sign_off.programme.user_is_on_team = sign_off.user_is_on_team
    if not _may(user, "programmes.view_sign_off", sign_off):
        raise Http404
    if perm and not _may(user, perm, sign_off):
        raise PermissionDenied
    sign_off.status_tag = status_tag(sign_off)
    return sign_off


def _history(item):
    return list(item.history.select_related("by"))


def _commitments_crumb():
    return (_("Commitments"), reverse("programmes:commitment_list"))


def _form_page(request, *, form, title, button, intro="", breadcrumbs, summary=None, item=None, warning=""):
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "button": button,
            "intro": intro,
            "warning": warning,
            "breadcrumbs": breadcrumbs,
            "summary_template": summary,
            "item": item,
        },
    )


# The public page ----------------------------------------------------------------------------------


@login_not_required
def champions_page(request):
    commitments = (
        ChampionCommitment.objects.filter(status=Commitment.ACTIVE)
        .select_related("leader", "programme")
        .order_by("leader__name", "programme__name", "created_at")
    )
    champions_list = [{"name": public_name(c.leader), "scope": c.scope_label, "commitment": c} for c in commitments]
    return render(request, "programmes/champions/champions.html", {"champions": champions_list})


# Lists --------------------------------------------------------------------------------------------


def commitment_list(request):
    user = request.user
    is_leader = _may(user, "programmes.make_commitment")
    can_ask = _may(user, "programmes.ask_leaders")
    if not (is_leader or can_ask):
        raise PermissionDenied
    context = {
        "is_leader": is_leader,
        "can_ask": can_ask,
        "champions_url": reverse("programmes:champions"),
        "programmes_url": reverse("programmes:list"),
    }
    if is_leader:
        mine = ChampionCommitment.objects.filter(leader=user).select_related("programme", "requested_by")
        to_me = SignOffRequest.objects.filter(leader=user).select_related("programme", "requested_by")
        context.update(
            waiting_commitments=with_status_tags(mine.filter(status=Commitment.REQUESTED)[:LIST_LIMIT]),
            waiting_sign_offs=with_status_tags(to_me.filter(status=SignOff.WAITING)[:LIST_LIMIT]),
            my_commitments=with_status_tags(mine.exclude(status=Commitment.REQUESTED)[:LIST_LIMIT]),
            decided_sign_offs=with_status_tags(to_me.exclude(status=SignOff.WAITING)[:LIST_LIMIT]),
        )
    if can_ask:
        context.update(
            sent_commitments=with_status_tags(
                ChampionCommitment.objects.filter(requested_by=user).select_related("leader", "programme")[:LIST_LIMIT]
            ),
            sent_sign_offs=with_status_tags(
                SignOffRequest.objects.filter(requested_by=user).select_related("leader", "programme")[:LIST_LIMIT]
            ),
            my_programmes=list(
                Programme.objects.filter(team_memberships__user=user)
                .exclude(status=Programme.Status.CLOSED)
                .order_by("name")
            ),
        )
    return render(request, "programmes/champions/commitment_list.html", context)


# Commitments --------------------------------------------------------------------------------------


def commitment_create(request):
    if not _may(request.user, "programmes.make_commitment"):
        raise PermissionDenied
    form = champion_forms.CommitmentForm(request.POST or None, leader=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = champions.make_commitment(
                leader=request.user,
                programme=form.cleaned_data["programme"],
                pledge=form.cleaned_data["pledge"],
                review_date=form.cleaned_data["review_date"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your commitment is now shown on the “Our champions” page."))
            return redirect("programmes:commitment_detail", commitment.public_id)
    return _form_page(
        request,
        form=form,
        title=_("Make a champion commitment"),
        intro=_(
            "Say how you will champion co-production: for one programme, or for the whole system. "
            "Your name and your pledge will be shown to the public on the “Our champions” page."
        ),
        button=_("Make my commitment"),
        breadcrumbs=[_commitments_crumb()],
    )


def commitment_request(request):
    if not _may(request.user, "programmes.ask_leaders"):
        raise PermissionDenied
    form = champion_forms.CommitmentRequestForm(request.POST or None, asked_by=request.user)
    if request.method == "POST" and form.is_valid():
        programme = form.cleaned_data["programme"]
        if not _may(request.user, "programmes.ask_for_commitment", programme):
            raise PermissionDenied
        try:
            commitment = champions.request_commitment(
                by=request.user,
                leader=form.cleaned_data["leader"],
                programme=programme,
                message=form.cleaned_data["message"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("We have asked %(leader)s. We will email you when they decide.") % {"leader": commitment.leader},
            )
            return redirect("programmes:commitment_detail", commitment.public_id)
    return _form_page(
        request,
        form=form,
        title=_("Ask a leader to be a champion"),
        intro=_("We will email the leader. They can say yes, and write what they pledge, or say no with a reason."),
        button=_("Send request"),
        breadcrumbs=[_commitments_crumb()],
    )


def commitment_detail(request, public_id):
    commitment = _commitment_for(request.user, public_id)
    user = request.user
    can = {
        "decide": commitment.status == Commitment.REQUESTED and _may(user, "programmes.decide_commitment", commitment),
        "withdraw": _may(user, "programmes.withdraw_commitment", commitment)
        and champions.withdraw_problem(commitment, by=user) is None,
        "renew": _may(user, "programmes.renew_commitment", commitment)
        and champions.renew_problem(commitment, by=user) is None,
    }
    return render(
        request,
        "programmes/champions/commitment_detail.html",
        {
            "commitment": commitment,
            "history": _history(commitment),
            "can": can,
            "breadcrumbs": [_commitments_crumb()],
        },
    )


def commitment_decide(request, public_id):
    commitment = _commitment_for(request.user, public_id, "programmes.decide_commitment")
    detail = redirect("programmes:commitment_detail", commitment.public_id)
    if commitment.status != Commitment.REQUESTED:
        messages.error(request, champions.already_decided_message(commitment))
        return detail
    form = champion_forms.CommitmentDecisionForm(request.POST or None, initial={"review_date": commitment.review_date})
    if request.method == "POST" and form.is_valid():
        try:
            champions.decide_commitment(
                commitment=commitment, by=request.user, request=request, **form.service_kwargs()
            )
        except champions.DecisionError as error:
            messages.error(request, str(error))
            return detail
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if commitment.status == Commitment.ACTIVE:
                messages.success(request, _("Thank you. You are now a champion, shown on the “Our champions” page."))
            else:
                messages.success(request, _("You said no. We have told the person who asked."))
            return detail
    return _form_page(
        request,
        form=form,
        title=_("Will you be a champion?"),
        button=_("Send my decision"),
        breadcrumbs=[_commitments_crumb(), (_("The request"), detail.url)],
        summary="programmes/champions/_commitment_summary.html",
        item=commitment,
    )


def commitment_withdraw(request, public_id):
    commitment = _commitment_for(request.user, public_id, "programmes.withdraw_commitment")
    detail = redirect("programmes:commitment_detail", commitment.public_id)
    problem = champions.withdraw_problem(commitment, by=request.user)
    if problem:
        messages.error(request, problem)
        return detail
    form = champion_forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            champions.withdraw_commitment(
                commitment=commitment, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except champions.DecisionError as error:
            messages.error(request, str(error))
            return detail
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Withdrawn. The history still shows it."))
            return detail
    is_request = commitment.status == Commitment.REQUESTED
    return _form_page(
        request,
        form=form,
        title=_("Withdraw your request") if is_request else _("Withdraw your commitment"),
        warning=_("The leader will no longer be asked.")
        if is_request
        else _("Your commitment will no longer be shown on the “Our champions” page."),
        button=_("Withdraw it"),
        breadcrumbs=[_commitments_crumb(), (_("The commitment"), detail.url)],
        summary="programmes/champions/_commitment_summary.html",
        item=commitment,
    )


def commitment_renew(request, public_id):
    commitment = _commitment_for(request.user, public_id, "programmes.renew_commitment")
    detail = redirect("programmes:commitment_detail", commitment.public_id)
    problem = champions.renew_problem(commitment, by=request.user)
    if problem:
        messages.error(request, problem)
        return detail
    form = champion_forms.RenewForm(request.POST or None, initial={"pledge": commitment.pledge})
    if request.method == "POST" and form.is_valid():
        try:
            champions.renew_commitment(commitment=commitment, by=request.user, request=request, **form.cleaned_data)
        except champions.DecisionError as error:
            messages.error(request, str(error))
            return detail
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your commitment is renewed."))
            return detail
    return _form_page(
        request,
        form=form,
        title=_("Renew your commitment"),
        intro=_("Check what you pledge and choose the next date you will review it."),
        button=_("Renew my commitment"),
        breadcrumbs=[_commitments_crumb(), (_("The commitment"), detail.url)],
    )


# Sign-off of a programme's co-production plan -----------------------------------------------------


def signoff_request(request, public_id):
    programme = programme_for_user(request.user, public_id, change=True)
    if not _may(request.user, "programmes.ask_for_sign_off", programme):
        raise PermissionDenied
    form = champion_forms.SignOffRequestForm(request.POST or None, asked_by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sign_off = champions.request_sign_off(
                programme=programme,
                leader=form.cleaned_data["leader"],
                by=request.user,
                message=form.cleaned_data["message"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("We have asked %(leader)s to sign off the plan. We will email you when they decide.")
                % {"leader": sign_off.leader},
            )
            return redirect("programmes:signoff_detail", sign_off.public_id)
    return _form_page(
        request,
        form=form,
        title=_("Ask a leader to sign off this programme’s plan"),
        intro=_("Programme: %(programme)s. We will email the leader. They can approve the plan, or say why not.")
        % {"programme": programme.name},
        button=_("Send request"),
        breadcrumbs=[(programme.name, reverse("programmes:detail", args=[programme.public_id]))],
    )


def signoff_detail(request, public_id):
    sign_off = _sign_off_for(request.user, public_id)
    user = request.user
    can = {
        "decide": sign_off.status == SignOff.WAITING and _may(user, "programmes.decide_sign_off", sign_off),
        "withdraw": _may(user, "programmes.withdraw_sign_off", sign_off)
        and champions.sign_off_withdraw_problem(sign_off, by=user) is None,
    }
    return render(
        request,
        "programmes/champions/signoff_detail.html",
        {"sign_off": sign_off, "history": _history(sign_off), "can": can, "breadcrumbs": [_commitments_crumb()]},
    )


def signoff_decide(request, public_id):
    sign_off = _sign_off_for(request.user, public_id, "programmes.decide_sign_off")
    detail = redirect("programmes:signoff_detail", sign_off.public_id)
    if sign_off.status != SignOff.WAITING:
        messages.error(request, champions.already_decided_message(sign_off))
        return detail
    form = champion_forms.SignOffDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            champions.decide_sign_off(sign_off=sign_off, by=request.user, request=request, **form.service_kwargs())
        except champions.DecisionError as error:
            messages.error(request, str(error))
            return detail
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if sign_off.status == SignOff.APPROVED:
                messages.success(request, _("You approved the plan. We have told the person who asked."))
            else:
                messages.success(request, _("You did not approve the plan. We have told the person who asked."))
            return detail
    return _form_page(
        request,
        form=form,
        title=_("Sign off this programme’s plan"),
        button=_("Send my decision"),
        breadcrumbs=[_commitments_crumb(), (_("The request"), detail.url)],
        summary="programmes/champions/_signoff_summary.html",
        item=sign_off,
    )


def signoff_withdraw(request, public_id):
    sign_off = _sign_off_for(request.user, public_id, "programmes.withdraw_sign_off")
    detail = redirect("programmes:signoff_detail", sign_off.public_id)
    problem = champions.sign_off_withdraw_problem(sign_off, by=request.user)
    if problem:
        messages.error(request, problem)
        return detail
    form = champion_forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            champions.withdraw_sign_off(
                sign_off=sign_off, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except champions.DecisionError as error:
            messages.error(request, str(error))
            return detail
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Withdrawn. The history still shows it."))
            return detail
    return _form_page(
        request,
        form=form,
        title=_("Withdraw your sign-off request"),
        warning=_("The leader will no longer be asked to sign off the plan."),
        button=_("Withdraw it"),
        breadcrumbs=[_commitments_crumb(), (_("The request"), detail.url)],
        summary="programmes/champions/_signoff_summary.html",
        item=sign_off,
    )
