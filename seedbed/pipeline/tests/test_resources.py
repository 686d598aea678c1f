"""Resource requests (issue #5, point 6): budget, people-hours and partners per stage; a leader's
approval against the org unit's budget envelope (refused beyond what is left unless overridden
with a reason); spending; and the roll-up to the envelopes of "Strategy and leadership"."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent
from seedbed.core.errors import StateConflict
from seedbed.pipeline.actions import resources as actions
from seedbed.pipeline.models import Initiative, ResourceRequest, Spend, TeamMember
from seedbed.strategy.actions import partners as partner_actions
from seedbed.strategy.actions import resources as budgets
from seedbed.strategy.models import BudgetEnvelope, PartnerOrganisation
from tests import test_api_schema
from tests.support import assert_error_body

# The API schema suite's fixtures: every response is checked against the OpenAPI document.
contract = test_api_schema.contract
call = test_api_schema.call

TODAY = timezone.localdate()
JAN1, DEC31 = date(TODAY.year, 1, 1), date(TODAY.year, 12, 31)
Status = ResourceRequest.Status


def events(verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb).order_by("seq"))


def api(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def envelope(users, org) -> BudgetEnvelope:
    """Operations' envelope: the initiative's unit (Plant Leeds) sits below Operations."""
    return budgets.create_budget_envelope(users["manager"], org_unit=org["ops"],
                                          period_start=JAN1, period_end=DEC31,
                                          allocated="10000.00", currency="GBP", note="Ops fund")


@pytest.fixture
def claire(org) -> User:
    """A second leader, so one can approve what the other asked for."""
    return User.objects.create_user("claire@example.test", PASSWORD, full_name="Claire Whitfield",
                                    role="leader", org_unit=org["ops"])


def ask(user, initiative, amount="1000", **fields) -> ResourceRequest:
    fields.setdefault("justification", "Pilot run on line 4.")
    return actions.request_resources(user, initiative, kind="budget", amount=amount, **fields)


def approved(users, initiative, amount="1000") -> ResourceRequest:
    """A budget request the manager made (they may for any initiative), approved."""
    made = ask(users["manager"], initiative, amount)
    return actions.approve_request(users["leader"], made)


@pytest.fixture
def second_initiative(users, challenge, envelope):
    """Another initiative of Plant Leeds, drawing on the same envelope."""
    from seedbed.ideas import actions as idea_actions
    from tests.support import new_initiative

    idea = idea_actions.submit_idea(users["evaluator"], challenge, title="Returnable trays",
                                    description="Trays that come back from stores.")
    made = new_initiative(users["manager"], idea)
    TeamMember.objects.create(initiative=made, user=users["evaluator"], added_by=users["manager"])
    return made


def kestrel(users, *, in_force: bool = True) -> PartnerOrganisation:
    partner = partner_actions.register_partner(users["manager"], name="Kestrel Packaging Ltd",
                                               kind="supplier")
    start = TODAY - timedelta(days=30)
    partner_actions.add_agreement(users["manager"], partner, kind="nda", title="Mutual NDA",
                                  starts_on=start,
                                  ends_on=None if in_force else TODAY - timedelta(days=1))
    return partner


# --- Requesting -------------------------------------------------------------------------------


def test_a_budget_request_draws_on_the_nearest_envelope_above_the_unit(users, org, initiative,
                                                                       envelope):
    assert initiative.org_unit == org["plant"]
    first = ask(users["contributor"], initiative, "1500.50")
    assert (first.envelope, first.amount, first.stage, first.status) == (
        envelope, Decimal("1500.50"), initiative.stage, Status.REQUESTED)
    [event] = events("resource_request.created")
    assert event.actor == users["contributor"]
    assert event.changes["envelope"]["after"] == envelope.pk
    assert event.changes["amount"]["after"] == "1500.50"
    # The plant gets an envelope of its own: it is nearer, so new requests draw on it.
    plant = budgets.create_budget_envelope(users["manager"], org_unit=org["plant"],
                                           period_start=JAN1, period_end=DEC31,
                                           allocated="2000", currency="GBP")
    assert ask(users["manager"], initiative).envelope == plant
    # Asking commits nothing yet.
    envelope.refresh_from_db()
    assert envelope.committed == 0


def test_a_budget_request_without_an_envelope_covering_today_is_refused(users, org, initiative):
    budgets.create_budget_envelope(users["manager"], org_unit=org["ops"],
                                   period_start=date(TODAY.year - 1, 1, 1),
                                   period_end=date(TODAY.year - 1, 12, 31), allocated="500")
    budgets.create_budget_envelope(users["manager"], org_unit=org["sales"], period_start=JAN1,
                                   period_end=DEC31, allocated="500")  # another branch
    with pytest.raises(ValidationError) as caught:
        ask(users["contributor"], initiative)
    assert "No budget envelope covers today for Plant Leeds" in \
        caught.value.message_dict["envelope"][0]
    assert not ResourceRequest.objects.exists()
    assert not events("resource_request.created")


def test_bad_request_input_reports_every_field_at_once_and_stores_nothing(users, initiative,
                                                                          envelope):
    with pytest.raises(ValidationError) as caught:
        actions.request_resources(users["contributor"], initiative, kind="budget", amount="0",
                                  hours="12", justification="  ", currency="EUR")
    assert set(caught.value.message_dict) == {"amount", "hours", "justification", "currency"}
    for amount, message in (("-5", "more than zero"), ("12.345", "2 decimal places"),
                            ("lots", "Enter a number"), (None, "Give the amount")):
        with pytest.raises(ValidationError) as caught:
            ask(users["contributor"], initiative, amount)
        assert message in caught.value.message_dict["amount"][0]
    with pytest.raises(ValidationError) as caught:
        actions.request_resources(users["contributor"], initiative, kind="hours", hours="0.25",
                                  justification="Analyst time")
    assert "1 decimal place" in caught.value.message_dict["hours"][0]
    with pytest.raises(ValidationError) as caught:
        actions.request_resources(users["contributor"], initiative, kind="money",
                                  justification="x")
    assert "kind" in caught.value.message_dict
    assert not ResourceRequest.objects.exists()
    assert not events("resource_request.created")


def test_requests_are_for_the_current_stage_or_a_later_one(users, initiative, envelope,
                                                           templates):
    stages = list(initiative.version.stages.order_by("position"))
    develop = stages[2]
    planned = ask(users["contributor"], initiative, stage=develop)
    assert planned.stage == develop  # planning ahead for the develop gate
    Initiative.objects.filter(pk=initiative.pk).update(stage=stages[1])
    initiative.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        ask(users["contributor"], initiative, stage=stages[0])
    assert "behind this initiative" in caught.value.message_dict["stage"][0]
    other = templates["process"].current.stages.first()
    with pytest.raises(ValidationError) as caught:
        ask(users["contributor"], initiative, stage=other.pk)
    assert "Choose a stage of this initiative" in caught.value.message_dict["stage"][0]


def test_hours_and_partner_requests(users, initiative):
    hours = actions.request_resources(users["contributor"], initiative, kind="hours",
                                      hours="37.5", justification="A week of a food scientist")
    assert (hours.hours, hours.amount, hours.envelope) == (Decimal("37.5"), 0, None)
    partner = kestrel(users)
    made = actions.request_resources(users["manager"], initiative, kind="partner",
                                     partner_org=partner.pk, justification="Tray trials")
    assert made.partner_org == partner
    with pytest.raises(ValidationError) as caught:
        actions.request_resources(users["manager"], initiative, kind="partner", partner_org=None,
                                  amount="10", justification="Tray trials")
    assert set(caught.value.message_dict) == {"partner_org", "amount"}


def test_a_partner_needs_an_agreement_in_force(users, initiative):
    expired = kestrel(users, in_force=False)
    with pytest.raises(ValidationError) as caught:
        actions.request_resources(users["manager"], initiative, kind="partner",
                                  partner_org=expired, justification="Tray trials")
    assert "agreement in force" in caught.value.message_dict["partner_org"][0]


def test_partner_accounts_do_not_name_partner_organisations(users, initiative, envelope):
    TeamMember.objects.create(initiative=initiative, user=users["partner"],
                              role=TeamMember.Role.PARTNER, added_by=users["manager"])
    partner = kestrel(users)
    with pytest.raises(ValidationError) as caught:
        actions.request_resources(users["partner"], initiative, kind="partner",
                                  partner_org=partner, justification="Tray trials")
    assert "kind" in caught.value.message_dict
    # Budget they may ask for, as a member of the team.
    assert ask(users["partner"], initiative).requested_by == users["partner"]


def test_only_the_team_and_managers_request(users, initiative, envelope):
    for role in ("evaluator", "leader", "auditor"):
        with pytest.raises(PermissionDenied):
            ask(users[role], initiative)
    assert ask(users["admin"], initiative).requested_by == users["admin"]


def test_a_stopped_initiative_takes_no_new_requests(users, initiative, envelope):
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.STOPPED)
    with pytest.raises(StateConflict) as caught:
        ask(users["manager"], initiative)
    assert caught.value.code == "initiative_closed"


# --- Deciding ---------------------------------------------------------------------------------


def test_approval_commits_budget_on_the_envelope_and_the_initiative(users, initiative, envelope):
    made = ask(users["contributor"], initiative, "2500")
    actions.approve_request(users["leader"], made, note="Good plan")
    made.refresh_from_db()
    envelope.refresh_from_db()
    initiative.refresh_from_db()
    assert (made.status, made.decided_by, made.decision_note) == (
        Status.APPROVED, users["leader"], "Good plan")
    assert made.decided_at is not None and made.override_reason == ""
    assert (envelope.committed, envelope.remaining) == (Decimal("2500"), Decimal("7500"))
    assert (initiative.committed, initiative.spent) == (Decimal("2500"), 0)
    [event] = events("resource_request.approved")
    assert event.actor == users["leader"]
    assert event.changes["status"] == {"before": "requested", "after": "approved"}
    assert event.changes["envelope_committed"] == {"before": "0.00", "after": "2500.00"}


def test_over_allocation_is_refused_without_override(users, initiative, envelope):
    approved(users, initiative, "9000")
    big = ask(users["contributor"], initiative, "1500")
    with pytest.raises(StateConflict) as caught:
        actions.approve_request(users["leader"], big)
    assert caught.value.code == "over_budget"
    assert "Over budget: 1,000.00 GBP left" in caught.value.message
    big.refresh_from_db()
    envelope.refresh_from_db()
    assert big.status == Status.REQUESTED and envelope.committed == Decimal("9000")
    assert len(events("resource_request.approved")) == 1


def test_override_without_a_reason_is_refused(users, initiative, envelope):
    big = ask(users["contributor"], initiative, "12000")
    with pytest.raises(ValidationError) as caught:
        actions.approve_request(users["leader"], big, override=True, override_reason="  ")
    assert "override_reason" in caught.value.message_dict
    big.refresh_from_db()
    assert big.status == Status.REQUESTED
    assert not events("resource_request.approved")


def test_override_with_a_reason_approves_and_the_audit_records_it(users, initiative, envelope):
    big = ask(users["contributor"], initiative, "12000")
    actions.approve_request(users["leader"], big, override=True,
                            override_reason="Retailer listing depends on it; Q3 top-up agreed.")
    big.refresh_from_db()
    envelope.refresh_from_db()
    initiative.refresh_from_db()
    assert big.status == Status.APPROVED
    assert big.override_reason == "Retailer listing depends on it; Q3 top-up agreed."
    assert (envelope.committed, envelope.remaining) == (Decimal("12000"), Decimal("-2000"))
    assert initiative.committed == Decimal("12000")
    [event] = events("resource_request.approved")
    assert event.changes["override_reason"]["after"].startswith("Retailer listing")
    assert event.changes["over_budget_by"]["after"] == "2000.00"


def test_an_override_reason_is_not_kept_when_the_budget_fits(users, initiative, envelope):
    made = ask(users["contributor"], initiative, "100")
    actions.approve_request(users["leader"], made, override=True, override_reason="Just in case")
    made.refresh_from_db()
    assert made.override_reason == ""


def test_only_leaders_approve_or_reject(users, initiative, envelope):
    made = ask(users["contributor"], initiative)
    for role in ("admin", "manager", "evaluator", "contributor", "auditor"):
        with pytest.raises(PermissionDenied):
            actions.approve_request(users[role], made)
        with pytest.raises(PermissionDenied):
            actions.reject_request(users[role], made, note="No")
    made.refresh_from_db()
    assert made.status == Status.REQUESTED


def test_nobody_decides_their_own_request_not_even_a_leader(users, claire, initiative, envelope):
    TeamMember.objects.create(initiative=initiative, user=users["leader"],
                              role=TeamMember.Role.SPONSOR, added_by=users["manager"])
    own = ask(users["leader"], initiative)
    with pytest.raises(PermissionDenied):
        actions.approve_request(users["leader"], own)
    with pytest.raises(PermissionDenied):
        actions.reject_request(users["leader"], own, note="Never mind")
    actions.approve_request(claire, own)
    own.refresh_from_db()
    assert (own.status, own.decided_by) == (Status.APPROVED, claire)


def test_deciding_twice_is_a_conflict(users, claire, initiative, envelope):
    made = ask(users["contributor"], initiative)
    actions.approve_request(users["leader"], made)
    for decide in (lambda: actions.approve_request(claire, made),
                   lambda: actions.reject_request(claire, made, note="Too late")):
        with pytest.raises(StateConflict) as caught:
            decide()
        assert caught.value.code == "already_decided"
    envelope.refresh_from_db()
    assert envelope.committed == Decimal("1000")  # committed once
    assert len(events("resource_request.approved")) == 1
    assert not events("resource_request.rejected")


def test_rejection_needs_a_note_and_commits_nothing(users, initiative, envelope):
    made = ask(users["contributor"], initiative)
    with pytest.raises(ValidationError) as caught:
        actions.reject_request(users["leader"], made, note="")
    assert "note" in caught.value.message_dict
    actions.reject_request(users["leader"], made, note="Use the pilot plant instead.")
    made.refresh_from_db()
    envelope.refresh_from_db()
    assert (made.status, made.decision_note) == (Status.REJECTED, "Use the pilot plant instead.")
    assert envelope.committed == 0
    [event] = events("resource_request.rejected")
    assert event.changes["decision_note"]["after"] == "Use the pilot plant instead."


def test_withdrawing_only_while_pending(users, initiative, envelope):
    made = ask(users["contributor"], initiative)
    with pytest.raises(PermissionDenied):
        actions.withdraw_request(users["evaluator"], made)
    actions.withdraw_request(users["contributor"], made)
    made.refresh_from_db()
    assert made.status == Status.WITHDRAWN
    assert len(events("resource_request.withdrawn")) == 1
    with pytest.raises(StateConflict):
        actions.withdraw_request(users["manager"], made)
    with pytest.raises(StateConflict):
        actions.approve_request(users["leader"], made)


def test_approving_for_a_stopped_initiative_is_refused(users, initiative, envelope):
    made = ask(users["contributor"], initiative)
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.STOPPED)
    with pytest.raises(StateConflict) as caught:
        actions.approve_request(users["leader"], made)
    assert caught.value.code == "initiative_closed"
    actions.reject_request(users["leader"], made, note="The initiative stopped.")


# --- Spending ---------------------------------------------------------------------------------


def test_spending_rolls_up_to_request_envelope_and_initiative(users, initiative,
                                                              second_initiative, envelope):
    first = approved(users, initiative, "4000")
    other = approved(users, second_initiative, "1000")
    actions.record_spend(users["contributor"], first, amount="1500.25", spent_on=TODAY,
                         note="Trial film")
    actions.record_spend(users["manager"], first, amount="499.75",
                         spent_on=TODAY - timedelta(days=3))
    actions.record_spend(users["leader"], other, amount="300", spent_on=TODAY)
    first.refresh_from_db()
    envelope.refresh_from_db()
    initiative.refresh_from_db()
    second_initiative.refresh_from_db()
    assert first.spent == Decimal("2000.00")
    assert (initiative.committed, initiative.spent) == (Decimal("4000"), Decimal("2000"))
    assert (second_initiative.committed, second_initiative.spent) == (Decimal("1000"),
                                                                      Decimal("300"))
    assert (envelope.committed, envelope.spent) == (Decimal("5000"), Decimal("2300"))
    assert envelope.remaining == Decimal("5000")
    assert Spend.objects.count() == 3
    events_ = events("spend.recorded")
    assert len(events_) == 3
    assert events_[0].changes["envelope_spent"] == {"before": "0.00", "after": "1500.25"}
    assert events_[1].changes["request_spent"] == {"before": "1500.25", "after": "2000.00"}


def test_spending_beyond_the_approved_amount_needs_a_leader_and_a_note(users, claire,
                                                                       initiative, envelope):
    made = approved(users, initiative, "1000")
    actions.record_spend(users["contributor"], made, amount="900", spent_on=TODAY)
    with pytest.raises(StateConflict) as caught:
        actions.record_spend(users["manager"], made, amount="150", spent_on=TODAY)
    assert caught.value.code == "beyond_approved"
    assert "100.00 GBP left" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        actions.record_spend(users["leader"], made, amount="150", spent_on=TODAY)
    assert "note" in caught.value.message_dict
    actions.record_spend(users["leader"], made, amount="150", spent_on=TODAY,
                         note="Extra sealing film; invoice 4471")
    made.refresh_from_db()
    envelope.refresh_from_db()
    assert made.spent == envelope.spent == Decimal("1050")
    [*_, event] = events("spend.recorded")
    assert event.changes["beyond_approved_by"]["after"] == "50.00"


def test_a_leader_does_not_overspend_their_own_request(users, claire, initiative, envelope):
    TeamMember.objects.create(initiative=initiative, user=users["leader"],
                              added_by=users["manager"])
    own = actions.approve_request(claire, ask(users["leader"], initiative, "100"))
    with pytest.raises(StateConflict):
        actions.record_spend(users["leader"], own, amount="101", spent_on=TODAY, note="More")
    actions.record_spend(claire, own, amount="101", spent_on=TODAY, note="Agreed extra")


def test_spending_only_against_approved_budget(users, initiative, envelope):
    pending = ask(users["contributor"], initiative)
    with pytest.raises(StateConflict) as caught:
        actions.record_spend(users["contributor"], pending, amount="10", spent_on=TODAY)
    assert caught.value.code == "not_approved"
    hours = actions.approve_request(users["leader"], actions.request_resources(
        users["contributor"], initiative, kind="hours", hours="8", justification="Analyst"))
    with pytest.raises(StateConflict) as caught:
        actions.record_spend(users["contributor"], hours, amount="10", spent_on=TODAY)
    assert caught.value.code == "not_budget"
    assert not Spend.objects.exists()


def test_bad_spending_input_is_refused_whole(users, initiative, envelope):
    made = approved(users, initiative)
    with pytest.raises(ValidationError) as caught:
        actions.record_spend(users["contributor"], made, amount="0",
                             spent_on=TODAY + timedelta(days=1), note="x" * 301)
    assert set(caught.value.message_dict) == {"amount", "spent_on", "note"}
    with pytest.raises(ValidationError) as caught:
        actions.record_spend(users["contributor"], made, amount="5", spent_on=None)
    assert "spent_on" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.record_spend(users["evaluator"], made, amount="5", spent_on=TODAY)
    made.refresh_from_db()
    envelope.refresh_from_db()
    assert made.spent == envelope.spent == 0
    assert not events("spend.recorded")


# --- Pages ------------------------------------------------------------------------------------


def test_the_resources_tab_shows_the_current_stage_and_its_totals(client_for, users,
                                                                  initiative, envelope):
    approved(users, initiative, "2000")
    ask(users["contributor"], initiative, "750", justification="Sensory panel")
    develop = initiative.version.stages.get(key="develop")
    ask(users["contributor"], initiative, "3000", stage=develop,
        justification="Pilot tooling for develop")
    actions.request_resources(users["contributor"], initiative, kind="hours", hours="40",
                              justification="Line trials")
    url = reverse("pipeline:initiative_resources", args=[initiative.pk])
    page = client_for("contributor").get(url)
    assert page.status_code == 200
    html = page.content.decode()
    totals = page.context["totals"]
    assert (totals.budget_requested, totals.budget_approved, totals.hours_requested) == (
        Decimal("2750"), Decimal("2000"), Decimal("40"))
    assert "Sensory panel" in html and "Pilot tooling" not in html
    assert "8,000.00 GBP" in html  # left in the envelope
    assert "Request resources" in html
    later = client_for("contributor").get(url + f"?stage={develop.pk}").content.decode()
    assert "Pilot tooling for develop" in later and "Sensory panel" not in later
    for nonsense in ("abc", "²", "9" * 30, "-1"):  # the current stage, never an error
        odd = client_for("contributor").get(url, {"stage": nonsense})
        assert odd.status_code == 200 and odd.context["stage"] == initiative.stage


def test_a_partner_not_on_the_team_cannot_see_the_tab(client_for, initiative, envelope):
    url = reverse("pipeline:initiative_resources", args=[initiative.pk])
    assert client_for("partner").get(url).status_code == 404
    page = client_for("auditor").get(url)
    assert page.status_code == 200 and "Request resources" not in page.content.decode()


def test_requesting_through_the_form(client_for, users, initiative, envelope):
    client = client_for("contributor")
    url = reverse("pipeline:resource_request_create", args=[initiative.pk])
    form = client.get(url)
    assert form.status_code == 200 and "Amount (GBP)" in form.content.decode()
    bad = client.post(url, {"kind": "budget", "stage": initiative.stage_id, "amount": "0",
                            "justification": ""})
    assert bad.status_code == 400
    assert {"amount", "justification"} <= set(bad.context["form"].errors)
    assert not ResourceRequest.objects.exists()
    good = client.post(url, {"kind": "budget", "stage": initiative.stage_id,
                             "amount": "1200", "justification": "Consumer panel"})
    assert good.status_code == 302
    made = ResourceRequest.objects.get()
    assert good["Location"] == (reverse("pipeline:initiative_resources", args=[initiative.pk])
                                + f"?stage={made.stage_id}")
    assert (made.amount, made.envelope, made.requested_by) == (
        Decimal("1200"), envelope, users["contributor"])
    assert client_for("evaluator").get(url).status_code == 403


def test_the_form_says_when_no_envelope_covers_the_unit(client_for, initiative):
    client = client_for("manager")
    url = reverse("pipeline:resource_request_create", args=[initiative.pk])
    assert "No budget envelope covers today" in client.get(url).content.decode()
    r = client.post(url, {"kind": "budget", "stage": initiative.stage_id, "amount": "10",
                          "justification": "Tasting"})
    assert r.status_code == 400
    assert "No budget envelope covers today" in r.content.decode()
    ok = client.post(url, {"kind": "hours", "stage": initiative.stage_id, "hours": "16",
                           "justification": "Tasting"})
    assert ok.status_code == 302


def test_partner_accounts_get_a_form_without_the_partner_register(client_for, users,
                                                                  initiative, envelope):
    TeamMember.objects.create(initiative=initiative, user=users["partner"],
                              role=TeamMember.Role.PARTNER, added_by=users["manager"])
    kestrel(users)
    page = client_for("partner").get(reverse("pipeline:resource_request_create",
                                             args=[initiative.pk]))
    assert page.status_code == 200
    assert "partner_org" not in page.context["form"].fields
    assert "Kestrel" not in page.content.decode()
    assert "Kestrel" in client_for("contributor").get(reverse(
        "pipeline:resource_request_create", args=[initiative.pk])).content.decode()


def test_a_leader_decides_through_the_page(client_for, users, initiative, envelope):
    big = ask(users["contributor"], initiative, "15000")
    url = reverse("pipeline:resource_request_decide", args=[big.pk])
    leader = client_for("leader")
    page = leader.get(url)
    assert page.status_code == 200 and "over budget" in page.content.decode()
    refused = leader.post(url, {"decision": "approve"})
    assert refused.status_code == 409
    assert "Over budget: 10,000.00 GBP left" in refused.content.decode()
    no_reason = leader.post(url, {"decision": "approve", "override": "on"})
    assert no_reason.status_code == 400
    assert "override_reason" in no_reason.context["form"].errors
    ok = leader.post(url, {"decision": "approve", "override": "on",
                           "override_reason": "Board approved the top-up."})
    assert ok.status_code == 302 and ok["Location"] == reverse("pipeline:approvals")
    big.refresh_from_db()
    assert (big.status, big.override_reason) == (Status.APPROVED, "Board approved the top-up.")
    again = leader.post(url, {"decision": "reject", "note": "Changed my mind"})
    assert again.status_code == 409
    assert client_for("manager").post(url, {"decision": "approve"}).status_code == 403


def test_rejecting_through_the_page_needs_a_note(client_for, users, initiative, envelope):
    made = ask(users["contributor"], initiative)
    url = reverse("pipeline:resource_request_decide", args=[made.pk])
    assert client_for("leader").post(url, {"decision": "reject"}).status_code == 400
    assert client_for("leader").post(url, {"decision": "reject",
                                           "note": "Not now"}).status_code == 302
    made.refresh_from_db()
    assert made.status == Status.REJECTED


def test_a_leaders_own_request_shows_no_decision_form(client_for, users, claire, initiative,
                                                      envelope):
    TeamMember.objects.create(initiative=initiative, user=users["leader"],
                              added_by=users["manager"])
    own = ask(users["leader"], initiative)
    url = reverse("pipeline:resource_request_decide", args=[own.pk])
    page = client_for("leader").get(url)
    assert "another leader decides it" in page.content.decode()
    assert client_for("leader").post(url, {"decision": "approve"}).status_code == 403
    queue = client_for("leader").get(reverse("pipeline:approvals")).content.decode()
    assert "Your request" in queue


def test_withdrawing_and_recording_spending_through_the_pages(client_for, users, initiative,
                                                              envelope):
    pending = ask(users["contributor"], initiative)
    client = client_for("contributor")
    r = client.post(reverse("pipeline:resource_request_withdraw", args=[pending.pk]))
    assert r.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Status.WITHDRAWN
    again = client.post(reverse("pipeline:resource_request_withdraw", args=[pending.pk]),
                        follow=True)
    assert "already withdrawn" in again.content.decode()
    made = approved(users, initiative, "500")
    url = reverse("pipeline:spend_create", args=[made.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"amount": "-1", "spent_on": TODAY.isoformat()})
    assert bad.status_code == 400
    over = client.post(url, {"amount": "600", "spent_on": TODAY.isoformat()})
    assert over.status_code == 409 and "beyond the approved amount" in over.content.decode()
    ok = client.post(url, {"amount": "120", "spent_on": TODAY.isoformat(), "note": "Film"})
    assert ok.status_code == 302
    made.refresh_from_db()
    assert made.spent == Decimal("120")
    assert client_for("evaluator").get(url).status_code == 403


def test_the_approvals_page_lists_pending_requests_oldest_first(client_for, users, initiative,
                                                                second_initiative, envelope):
    first = ask(users["contributor"], initiative, "9500", justification="First")
    second = ask(users["evaluator"], second_initiative, "200", justification="Second")
    done = ask(users["contributor"], initiative, "100")
    actions.reject_request(users["leader"], done, note="No")
    page = client_for("leader").get(reverse("pipeline:approvals"))
    assert page.status_code == 200
    assert [r.pk for r in page.context["page"].object_list] == [first.pk, second.pk]
    html = page.content.decode()
    assert "10,000.00 GBP" in html  # the envelope's remaining amount
    assert html.count("over budget") == 0
    approved(users, second_initiative, "1000")
    html = client_for("leader").get(reverse("pipeline:approvals")).content.decode()
    assert "9,000.00 GBP" in html and "over budget" in html
    assert client_for("manager").get(reverse("pipeline:approvals")).status_code == 403


def test_the_envelope_page_lists_the_requests_drawing_on_it(client_for, users, initiative,
                                                           second_initiative, envelope):
    approved(users, initiative, "700")
    Initiative.objects.filter(pk=second_initiative.pk).update(confidential=True)
    approved(users, second_initiative, "300")
    url = reverse("pipeline:envelope_requests", args=[envelope.pk])
    leader = client_for("leader").get(url)
    assert len(leader.context["page"].object_list) == 2 and leader.context["hidden"] == 0
    auditor = client_for("auditor").get(url)
    assert len(auditor.context["page"].object_list) == 1 and auditor.context["hidden"] == 1
    assert "1 request on confidential initiatives is counted" in auditor.content.decode()
    assert "1,000.00 GBP" in auditor.content.decode()  # committed, both included
    assert client_for("contributor").get(url).status_code == 403


def test_the_budget_list_links_each_envelope_to_its_requests(client_for, envelope):
    html = client_for("leader").get(reverse("strategy:resources_budget_list")).content.decode()
    assert reverse("pipeline:envelope_requests", args=[envelope.pk]) in html


# --- API --------------------------------------------------------------------------------------


def test_request_approve_and_spend_through_the_api(call, users, initiative, envelope):
    base = f"/api/v1/pipeline/initiatives/{initiative.pk}/resource-requests"
    made = call(api(users["contributor"]), "POST", base, {
        "kind": "budget", "amount": "6000.00", "currency": "GBP",
        "justification": "Pilot run"}).json()
    assert (made["status"], made["envelope"]["id"], made["amount"]) == (
        "requested", envelope.pk, "6000.00")
    listed = call(api(users["auditor"]), "GET", base + f"?stage_id={initiative.stage_id}").json()
    assert [r["id"] for r in listed["items"]] == [made["id"]]
    queue = call(api(users["leader"]), "GET", "/api/v1/pipeline/resource-approvals").json()
    assert queue["count"] == 1
    one = f"/api/v1/pipeline/resource-requests/{made['id']}"
    decided = call(api(users["leader"]), "POST", one + "/approve", {"note": "Go"}).json()
    assert decided["status"] == "approved"
    assert decided["envelope"]["committed"] == "6000.00"
    spend = call(api(users["contributor"]), "POST", one + "/spends",
                 {"amount": "250.00", "spent_on": TODAY.isoformat(), "note": "Invoice 1"})
    assert spend.status_code == 201
    spends = call(api(users["evaluator"]), "GET", one + "/spends").json()
    assert [s["amount"] for s in spends["items"]] == ["250.00"]
    assert call(api(users["leader"]), "GET", one).json()["spent"] == "250.00"
    on_envelope = call(api(users["auditor"]), "GET",
                       f"/api/v1/pipeline/budget-envelopes/{envelope.pk}/resource-requests")
    assert on_envelope.json()["count"] == 1


def test_bad_input_and_refusals_through_the_api(call, users, claire, initiative, envelope):
    base = f"/api/v1/pipeline/initiatives/{initiative.pk}/resource-requests"
    contributor = api(users["contributor"])
    zero = call(contributor, "POST", base, {"kind": "budget", "amount": "0",
                                            "justification": "x"})
    assert "amount" in assert_error_body(zero, 422, "invalid")["fields"]
    euros = call(contributor, "POST", base, {"kind": "budget", "amount": "10",
                                             "currency": "EUR", "justification": "x"})
    assert "currency" in assert_error_body(euros, 422)["fields"]
    stage = call(contributor, "POST", base, {"kind": "hours", "hours": "4", "stage_id": 999999,
                                             "justification": "x"})
    assert "stage_id" in assert_error_body(stage, 422)["fields"]
    partner = call(contributor, "POST", base, {"kind": "partner", "partner_org_id": 424242,
                                               "justification": "x"})
    assert "partner_org_id" in assert_error_body(partner, 422)["fields"]
    malformed = call(contributor, "POST", base, "{not json")
    assert_error_body(malformed, 400, "malformed")
    assert not ResourceRequest.objects.exists()

    big = ask(users["contributor"], initiative, "20000")
    one = f"/api/v1/pipeline/resource-requests/{big.pk}"
    assert_error_body(call(api(users["manager"]), "POST", one + "/approve", {}), 403,
                      "forbidden")
    over = call(api(users["leader"]), "POST", one + "/approve", {})
    assert "10,000.00 GBP left" in assert_error_body(over, 409, "over_budget")["message"]
    no_reason = call(api(users["leader"]), "POST", one + "/approve", {"override": True})
    assert "override_reason" in assert_error_body(no_reason, 422, "invalid")["fields"]
    ok = call(api(users["leader"]), "POST", one + "/approve",
              {"override": True, "override_reason": "Top-up agreed"})
    assert ok.json()["override_reason"] == "Top-up agreed"
    twice = call(api(claire), "POST", one + "/reject", {"note": "No"})
    assert_error_body(twice, 409, "already_decided")
    spend = call(contributor, "POST", one + "/spends", {"amount": "1", "spent_on": "2999-01-01"})
    assert "spent_on" in assert_error_body(spend, 422)["fields"]
    assert_error_body(call(api(users["partner"]), "GET", one), 404, "not_found")
    assert_error_body(call(contributor, "GET", "/api/v1/pipeline/resource-requests/0"), 404)
    event = AuditEvent.objects.get(verb="resource_request.approved")
    assert event.changes["override_reason"]["after"] == "Top-up agreed"
