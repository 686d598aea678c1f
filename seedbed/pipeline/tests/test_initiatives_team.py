"""The team of an initiative: employees and invited partners added by e-mail address, removed
again, by innovation managers or the initiative's lead; partners then see that initiative and
only it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent
from seedbed.core.errors import StateConflict
from seedbed.pipeline.actions.initiatives import (
    add_team_member,
    remove_team_member,
    update_initiative,
)
from seedbed.pipeline.models import Initiative, TeamMember
from tests.support import api_call, assert_error_body

API = "/api/v1/pipeline/initiatives"


def add_url(initiative) -> str:
    return reverse("pipeline:initiative_team_add", args=[initiative.pk])


def remove_url(member) -> str:
    return reverse("pipeline:initiative_team_remove", args=[member.initiative_id, member.pk])


def agreement(users, *, starts: int = -30, ends: int | None = None):
    """An agreement with the partner's organisation, in days from today."""
    from seedbed.strategy.actions.partners import add_agreement

    today = timezone.localdate()
    return add_agreement(users["manager"], users["partner"].partner_org, kind="nda",
                         title="Mutual NDA", starts_on=today + timedelta(days=starts),
                         ends_on=today + timedelta(days=ends) if ends is not None else None)


def test_a_manager_adds_employees_by_email_and_removes_them(client_for, users, initiative):
    manager = client_for("manager")
    response = manager.post(add_url(initiative), {"email": "LEADER@example.test",
                                                  "role": "sponsor"})
    assert response.status_code == 302
    assert response["Location"] == reverse("pipeline:initiative_detail",
                                           args=[initiative.pk]) + "#team"
    member = TeamMember.objects.get(initiative=initiative, user=users["leader"])
    assert (member.role, member.added_by) == ("sponsor", users["manager"])
    event = AuditEvent.objects.get(verb="initiative.member_added")
    assert event.object_id == str(initiative.pk)
    assert event.changes["team"]["after"] == {"user": users["leader"].pk, "role": "sponsor"}
    assert manager.post(remove_url(member)).status_code == 302
    assert not TeamMember.objects.filter(pk=member.pk).exists()
    removed = AuditEvent.objects.get(verb="initiative.member_removed")
    assert removed.changes["team"]["before"] == {"user": users["leader"].pk, "role": "sponsor"}


def test_the_lead_manages_the_team_others_may_not(client_for, users, initiative):
    Initiative.objects.filter(pk=initiative.pk).update(lead=users["evaluator"])
    initiative.refresh_from_db()
    lead = client_for("evaluator")
    assert lead.post(add_url(initiative), {"email": users["leader"].email,
                                           "role": "member"}).status_code == 302
    member = TeamMember.objects.get(initiative=initiative, user=users["contributor"])
    for role in ("leader", "contributor"):  # a member, and a leader who neither leads nor runs
        client = client_for(role)
        assert client.post(add_url(initiative), {"email": users["admin"].email,
                                                 "role": "member"}).status_code == 403
        assert client.post(remove_url(member)).status_code == 403
        assert_error_body(api_call(client, "post", f"{API}/{initiative.pk}/team",
                                   {"email": users["admin"].email}), 403, "forbidden")
        assert_error_body(api_call(client, "delete",
                                   f"{API}/{initiative.pk}/team/{member.pk}"), 403, "forbidden")
    with pytest.raises(PermissionDenied):
        add_team_member(users["contributor"], initiative, email=users["admin"].email)
    assert client_for("auditor").post(remove_url(member)).status_code == 403
    assert client_for("partner").post(remove_url(member)).status_code == 404
    assert lead.post(remove_url(member)).status_code == 302
    assert set(initiative.team.values_list("user__email", flat=True)) == {
        users["leader"].email}


@pytest.mark.parametrize(("email", "role", "field", "message"), [
    ("", "member", "email", "This field is required."),
    ("nobody@example.test", "member", "email", "No active account has this e-mail address."),
    ("auditor@example.test", "member", "email", "Auditors only read the records"),
    ("manager@example.test", "member", "email", "Manager Person already leads this initiative."),
    ("contributor@example.test", "sponsor", "email", "Contributor Person is already on the team."),
    ("evaluator@example.test", "partner", "role", "The partner role is for partner accounts"),
    ("evaluator@example.test", "boss", "role", "Choose member, sponsor or partner."),
    ("partner@example.test", "member", "role", "Partner accounts join a team in the partner"),
])
def test_who_may_not_join_and_why(email, role, field, message, users, initiative):
    agreement(users)
    with pytest.raises(ValidationError) as refused:
        add_team_member(users["manager"], initiative, email=email, role=role)
    assert refused.value.message_dict[field][0].startswith(message)
    assert initiative.team.count() == 1  # the contributor, from the fixture
    assert not AuditEvent.objects.filter(verb="initiative.member_added").exists()


def test_inactive_accounts_cannot_join(users, initiative):
    User.objects.filter(pk=users["evaluator"].pk).update(is_active=False)
    with pytest.raises(ValidationError) as refused:
        add_team_member(users["manager"], initiative, email=users["evaluator"].email)
    assert refused.value.message_dict == {"email": ["No active account has this e-mail address."]}


@pytest.mark.parametrize(("starts", "ends"), [(None, None), (5, None), (-400, -1)])
def test_a_partner_joins_only_while_an_agreement_is_in_force(starts, ends, users, initiative):
    if starts is not None:
        agreement(users, starts=starts, ends=ends)  # none, not started yet, expired
    with pytest.raises(ValidationError) as refused:
        add_team_member(users["manager"], initiative, email=users["partner"].email,
                        role="partner")
    assert "no agreement in force" in refused.value.message_dict["email"][0]
    agreement(users, starts=-1, ends=0)  # in force until the end of today
    member = add_team_member(users["manager"], initiative, email=users["partner"].email,
                             role="partner")
    assert member.role == "partner"


def test_a_partner_on_the_team_sees_that_initiative_and_only_it(client_for, users, initiative,
                                                                challenge, templates):
    from seedbed.ideas import actions as idea_actions
    from seedbed.pipeline.actions.initiatives import promote_ideas

    other = promote_ideas(users["manager"], [idea_actions.submit_idea(
        users["evaluator"], challenge, title="Other", description="d")])
    Initiative.objects.filter(pk=initiative.pk).update(confidential=True)
    agreement(users)
    partner = client_for("partner")
    detail = reverse("pipeline:initiative_detail", args=[initiative.pk])
    assert partner.get(detail).status_code == 404
    response = api_call(client_for("manager"), "post", f"{API}/{initiative.pk}/team",
                        {"email": users["partner"].email, "role": "partner"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["full_name"] == "Partner Person" and body["organisation"] == "Campus Lab"
    assert partner.get(detail).status_code == 200
    assert [i["id"] for i in partner.get(API).json()["items"]] == [initiative.pk]
    assert partner.get(f"{API}/{other.pk}").status_code == 404
    assert partner.get(reverse("pipeline:initiative_detail", args=[other.pk])).status_code == 404
    gone = api_call(client_for("manager"), "delete", f"{API}/{initiative.pk}/team/{body['id']}")
    assert gone.status_code == 200 and gone.json()["id"] == body["id"]
    assert partner.get(detail).status_code == 404
    assert partner.get(API).json()["count"] == 0


def test_the_lead_cannot_be_removed(users, initiative):
    member = initiative.team.get(user=users["contributor"])
    update_initiative(users["manager"], initiative, lead=users["contributor"])
    with pytest.raises(StateConflict) as refused:
        remove_team_member(users["manager"], initiative, member)
    assert refused.value.code == "lead"
    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_removing_twice_is_a_conflict_then_a_404(client_for, users, initiative):
    member = initiative.team.get()
    remove_team_member(users["manager"], initiative, member)
    with pytest.raises(StateConflict):
        remove_team_member(users["manager"], initiative, member)
    manager = client_for("manager")
    assert manager.post(remove_url(member)).status_code == 404
    assert_error_body(api_call(manager, "delete", f"{API}/{initiative.pk}/team/{member.pk}"),
                      404, "not_found")
    assert AuditEvent.objects.filter(verb="initiative.member_removed").count() == 1


def test_a_member_of_another_initiative_is_not_found_here(client_for, users, initiative,
                                                         challenge, templates):
    from seedbed.ideas import actions as idea_actions
    from seedbed.pipeline.actions.initiatives import promote_ideas

    other = promote_ideas(users["manager"], [idea_actions.submit_idea(
        users["evaluator"], challenge, title="Other", description="d")])
    member = initiative.team.get()
    response = client_for("manager").post(
        reverse("pipeline:initiative_team_remove", args=[other.pk, member.pk]))
    assert response.status_code == 404
    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_bad_team_input_through_the_page_and_the_api(client_for, users, initiative):
    manager = client_for("manager")
    response = manager.post(add_url(initiative), {"email": "not an address", "role": "boss"})
    assert response.status_code == 400
    assert set(response.context["team_form"].errors) == {"email", "role"}
    response = manager.post(add_url(initiative), {"email": "nobody@example.test",
                                                  "role": "member"})
    assert response.status_code == 400
    assert "No active account has this e-mail address." in response.content.decode()
    for body, fields in (({"email": "nobody@example.test"}, {"email"}),
                         ({"email": users["evaluator"].email, "role": "boss"}, {"role"}),
                         ({"email": "x" * 300}, {"email"}),
                         ({"role": "member"}, {"email"})):
        error = assert_error_body(api_call(manager, "post", f"{API}/{initiative.pk}/team", body),
                                  422, "invalid")
        assert set(error["fields"]) == fields, body
    assert_error_body(api_call(manager, "post", f"{API}/987654/team",
                               {"email": users["evaluator"].email}), 404, "not_found")
    assert initiative.team.count() == 1
