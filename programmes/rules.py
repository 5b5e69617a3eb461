"""Who may do what to programmes, projects and leaders' commitments. Checked on the server."""

import rules

from coproduction.rules import is_administrator, is_leader, is_member, is_staff_role


@rules.predicate
def is_on_programme_team(user, programme):
    if programme is None or not user.is_authenticated:
        return False
    # Views annotate `user_is_on_team` when they fetch the programme, to save a query.
    cached = getattr(programme, "user_is_on_team", None)
    return bool(cached) if cached is not None else programme.has_team_member(user)


@rules.predicate
def is_on_project_team(user, project):
    return project is not None and is_on_programme_team(user, project.programme)


@rules.predicate
def takes_part_in_project(user, project):
    return project is not None and project.participants.taking_part().filter(member=user).exists()


rules.add_perm("programmes.list_programmes", is_staff_role | is_leader | is_administrator)
rules.add_perm("programmes.add_programme", is_staff_role | is_administrator)
rules.add_perm("programmes.view_programme", is_administrator | is_leader | (is_staff_role & is_on_programme_team))
rules.add_perm("programmes.change_programme", is_administrator | (is_staff_role & is_on_programme_team))
rules.add_perm("programmes.view_project", is_administrator | is_leader | (is_staff_role & is_on_project_team))
rules.add_perm("programmes.change_project", is_administrator | (is_staff_role & is_on_project_team))
rules.add_perm("programmes.rate_as_participant", is_member & takes_part_in_project)
rules.add_perm("programmes.see_my_projects", is_member)
rules.add_perm("programmes.make_commitment", is_leader)
rules.add_perm("programmes.ask_leaders", is_staff_role | is_administrator)
rules.add_perm("programmes.manage_partners", is_administrator)
