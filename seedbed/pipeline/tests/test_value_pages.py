"""The Value tab, its forms and the roll-up page through the HTML client; fixed query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from seedbed.audit.models import AuditEvent
from seedbed.pipeline.actions import value as actions
from seedbed.pipeline.models import (
    Feedback,
    GateDecision,
    Initiative,
    PostLaunchReview,
    SolutionIndicator,
    TeamMember,
)
from tests.matrix.pipeline_value import move_to_stage

TODAY = timezone.localdate
KINDS = (("revenue", "GBP"), ("cost_saving", "GBP"), ("adoption", "%"),
         ("satisfaction", "out of 5"), ("other", "t"))


@pytest.fixture
def launched(initiative):
    return move_to_stage(initiative, "launch")


def tab(initiative) -> str:
    return reverse("pipeline:initiative_value", args=[initiative.pk])


def decide(initiative, stage_key: str, round: int, projected, by) -> GateDecision:
    """Test set-up only: a gate decision row as the gates area records it."""
    stage = initiative.version.stages.get(key=stage_key)
    return GateDecision.objects.create(
        initiative=initiative, stage=stage, round=round, outcome="go", rationale="Worth it.",
        decided_by=by, uncertainty=30, risk_appetite=50, projected_value=projected)


def populate(users, initiative, n: int) -> None:
    """n indicators of every kind (measured), n pieces of feedback from several people, n gate
    decisions with projections, and the review."""
    manager = users["manager"]
    people = [users[r] for r in ("contributor", "evaluator", "leader", "manager", "admin")]
    stages = list(initiative.version.stages.order_by("position"))
    for k in range(n):
        kind, unit = KINDS[k % len(KINDS)]
        indicator = actions.add_indicator(manager, initiative, kind=kind, name=f"Measure {n}-{k}",
                                          unit=unit, projected=Decimal(100 + k))
        actions.record_indicator_value(manager, indicator, actual=Decimal(90 + 2 * k),
                                       measured_on=TODAY())
        actions.add_feedback(people[k % len(people)], initiative, text=f"Feedback {k}",
                             rating=1 + k % 5 if k % 4 else None)
        GateDecision.objects.create(
            initiative=initiative, stage=stages[k % len(stages)], round=1000 * n + k,
            outcome="iterate", rationale="Again.", decided_by=manager, uncertainty=40,
            risk_appetite=50, projected_value=Decimal(1000 * k))
    if not PostLaunchReview.objects.filter(initiative=initiative).exists():
        actions.record_post_launch_review(manager, initiative, summary="Live **everywhere**.")


# --- the tab -----------------------------------------------------------------------------------

def test_tab_shows_projected_against_actual(launched, users, client_for):
    manager = users["manager"]
    decide(launched, "concept", 1, Decimal("50000"), manager)
    decide(launched, "validate", 1, Decimal("80000"), users["leader"])
    sales = actions.add_indicator(manager, launched, kind="revenue", name="Retail sales",
                                  unit="GBP", projected=Decimal("80000"))
    actions.add_indicator(manager, launched, kind="adoption", name="Stores listing", unit="%",
                          projected=Decimal("60"))
    actions.record_indicator_value(manager, sales, actual=Decimal("92000"), measured_on=TODAY())
    actions.add_feedback(users["contributor"], launched, text="Sells out on Fridays.", rating=5)
    actions.add_feedback(users["evaluator"], launched, text="Too salty for me.", rating=2)
    actions.add_feedback(users["leader"], launched, text="<b>Good</b> work.")
    html = client_for("auditor").get(tab(launched)).content.decode()
    assert "Retail sales" in html and "92,000" in html and "+12,000 (+15 %)" in html
    assert "Stores listing" in html and "not measured" in html
    assert "Concept gate (round 1)" in html and "Validate gate (round 1)" in html
    assert 'max="92000.00" value="50000.00"' in html  # the bars share one scale
    assert "Actual value now" in html and 'id="money-actual">92,000 GBP' in html
    assert "<strong>3.5</strong> out of 5 on average from 2 ratings" in html
    assert "3 responses" in html
    assert "&lt;b&gt;Good&lt;/b&gt; work." in html  # feedback is text, escaped
    # The auditor only reads: no forms.
    assert "Add an indicator" not in html and "Give feedback" not in html
    assert 'aria-current="page">Value</a>' in html


def test_tab_before_launch_explains_when_to_measure(initiative, client_for):
    html = client_for("manager").get(tab(initiative)).content.decode()
    assert "Actual values and the post-launch review are recorded after launch" in html
    assert "Add an indicator" in html and "Record the review" not in html
    assert "Written after launch." in html


def test_team_member_sees_forms_and_the_review(launched, users, client_for):
    actions.record_post_launch_review(users["manager"], launched, summary="Live **now**.",
                                      lessons="Trial earlier.")
    html = client_for("contributor").get(tab(launched)).content.decode()
    assert "Add an indicator" in html and "Give feedback" in html
    assert "<strong>now</strong>" in html and "Trial earlier." in html
    # A team member who neither leads nor wrote it may not revise the review.
    assert "Revise the review" not in html
    assert "Revise the review" in client_for("manager").get(tab(launched)).content.decode()


@pytest.mark.parametrize(("role", "status"), [("partner", 404), ("auditor", 200)])
def test_partner_not_on_the_team_cannot_see_the_tab(launched, client_for, role, status):
    assert client_for(role).get(tab(launched)).status_code == status


def test_partner_on_the_team_works_on_the_tab(launched, users, client_for):
    TeamMember.objects.create(initiative=launched, user=users["partner"], role="partner",
                              added_by=users["manager"])
    client = client_for("partner")
    assert "Add an indicator" in client.get(tab(launched)).content.decode()
    response = client.post(reverse("pipeline:value_indicator_create", args=[launched.pk]),
                           {"kind": "cost_saving", "name": "Film saved", "unit": "GBP"})
    assert response.status_code == 302
    assert SolutionIndicator.objects.filter(name="Film saved").exists()


# --- the forms ---------------------------------------------------------------------------------

def test_add_indicator_form_redirects_and_shows_errors(launched, client_for):
    client = client_for("contributor")
    url = reverse("pipeline:value_indicator_create", args=[launched.pk])
    response = client.post(url, {"kind": "revenue", "name": "Sales", "unit": "GBP",
                                 "projected": "12000"})
    assert response.status_code == 302 and response["Location"].endswith("#indicators")
    bad = client.post(url, {"kind": "revenue", "name": "sales", "unit": "EUR",
                            "projected": "-3"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "already has an indicator" in html or "cannot be negative" in html
    assert SolutionIndicator.objects.count() == 1
    shape = client.post(url, {"kind": "nonsense", "name": "", "unit": ""})
    assert shape.status_code == 400 and "field-error" in shape.content.decode()


def test_form_errors_from_the_action_land_beside_their_fields(launched, users, client_for):
    actions.add_indicator(users["manager"], launched, kind="revenue", name="Sales", unit="GBP")
    response = client_for("manager").post(
        reverse("pipeline:value_indicator_create", args=[launched.pk]),
        {"kind": "cost_saving", "name": "Sales", "unit": "EUR", "projected": "-1"})
    assert response.status_code == 400
    html = response.content.decode()
    for message in ("already has an indicator", "(GBP)", "cannot be negative"):
        assert message in html
    assert SolutionIndicator.objects.count() == 1


def test_measure_form_before_launch_answers_409(initiative, users, client_for):
    indicator = actions.add_indicator(users["manager"], initiative, kind="revenue",
                                      name="Sales", unit="GBP")
    url = reverse("pipeline:value_indicator_measure", args=[initiative.pk, indicator.pk])
    client = client_for("manager")
    assert "Measure after launch" in client.get(url).content.decode()
    response = client.post(url, {"actual": "100", "measured_on": TODAY().isoformat()})
    assert response.status_code == 409 and "Measure after launch" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.actual is None


def test_measure_edit_and_remove_through_the_pages(launched, users, client_for):
    indicator = actions.add_indicator(users["manager"], launched, kind="revenue", name="Sales",
                                      unit="GBP", projected=100)
    client = client_for("contributor")
    args = [launched.pk, indicator.pk]
    future = (TODAY().replace(year=TODAY().year + 1)).isoformat()
    bad = client.post(reverse("pipeline:value_indicator_measure", args=args),
                      {"actual": "120", "measured_on": future})
    assert bad.status_code == 400 and "cannot be dated in the future" in bad.content.decode()
    ok = client.post(reverse("pipeline:value_indicator_measure", args=args),
                     {"actual": "120", "measured_on": TODAY().isoformat()})
    assert ok.status_code == 302
    assert Initiative.objects.get(pk=launched.pk).actual_value == Decimal("120")
    edit = reverse("pipeline:value_indicator_edit", args=args)
    assert 'value="Sales"' in client.get(edit).content.decode()
    assert client.post(edit, {"kind": "adoption", "name": "Sales", "unit": "%"}).status_code == 302
    assert Initiative.objects.get(pk=launched.pk).actual_value == Decimal("0")
    assert client.post(reverse("pipeline:value_indicator_remove", args=args)).status_code == 302
    assert not SolutionIndicator.objects.exists()


def test_indicator_of_another_initiative_is_not_found(launched, users, client_for):
    from seedbed.ideas import actions as idea_actions
    from tests.support import new_initiative

    other_idea = idea_actions.submit_idea(users["evaluator"], launched.ideas.get().challenge,
                                          title="Other", description="Another idea.")
    other = new_initiative(users["manager"], other_idea)
    foreign = actions.add_indicator(users["manager"], other, kind="other", name="X", unit="x")
    url = reverse("pipeline:value_indicator_edit", args=[launched.pk, foreign.pk])
    assert client_for("manager").get(url).status_code == 404


def test_feedback_form_checks_the_rating(launched, client_for):
    client = client_for("evaluator")
    url = reverse("pipeline:value_feedback_create", args=[launched.pk])
    bad = client.post(url, {"rating": "9", "text": "Great."})
    assert bad.status_code == 400 and "field-error" in bad.content.decode()
    empty = client.post(url, {"rating": "3", "text": ""})
    assert empty.status_code == 400
    assert not Feedback.objects.exists()
    ok = client.post(url, {"rating": "4", "text": "Great."})
    assert ok.status_code == 302 and Feedback.objects.get().rating == 4


def test_review_page_creates_then_revises(launched, users, client_for):
    url = reverse("pipeline:value_review_edit", args=[launched.pk])
    contributor = client_for("contributor")
    assert contributor.post(url, {"summary": ""}).status_code == 400
    assert contributor.post(url, {"summary": "Live in 400 stores."}).status_code == 302
    # Written: a team member who is not its lead or writer may no longer change it.
    TeamMember.objects.create(initiative=launched, user=users["evaluator"],
                              added_by=users["manager"])
    assert client_for("evaluator").get(url).status_code == 403
    manager = client_for("manager")
    assert "Live in 400 stores." in manager.get(url).content.decode()
    assert manager.post(url, {"summary": "Live in 420 stores."}).status_code == 302
    assert PostLaunchReview.objects.get().summary == "Live in 420 stores."
    assert list(AuditEvent.objects.filter(verb__startswith="post_launch_review")
                .order_by("id").values_list("verb", flat=True)) == ["post_launch_review.created",
                                                     "post_launch_review.updated"]


def test_review_page_before_launch_answers_409(initiative, client_for):
    response = client_for("manager").post(
        reverse("pipeline:value_review_edit", args=[initiative.pk]), {"summary": "Early."})
    assert response.status_code == 409
    assert not PostLaunchReview.objects.exists()


# --- fixed query counts ------------------------------------------------------------------------

# Every signed-in page costs 3 (session, user, the bell's unread count). The tab adds: the
# initiative, its stages, (for a team member who is not the lead) the team check, indicators,
# gate decisions with stages, the feedback summary, the feedback page, the review.
TAB_BUDGETS = {"manager": 10, "contributor": 11, "auditor": 10}


@pytest.mark.parametrize("role", sorted(TAB_BUDGETS))
def test_tab_costs_a_fixed_number_of_queries(launched, users, client_for, role,
                                             django_assert_num_queries):
    client = client_for(role)
    for size in (3, 25):
        populate(users, launched, size)
        with django_assert_num_queries(TAB_BUDGETS[role]):
            response = client.get(tab(launched))
        assert response.status_code == 200
