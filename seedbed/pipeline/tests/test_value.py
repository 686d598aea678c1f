"""Deployment and value through the actions: indicators, measurements after launch, feedback,
the post-launch review, and who may do each."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from seedbed.audit.models import AuditEvent
from seedbed.core.errors import StateConflict
from seedbed.pipeline.actions import value as actions
from seedbed.pipeline.models import (
    Feedback,
    Initiative,
    PostLaunchReview,
    SolutionIndicator,
    TeamMember,
)
from tests.matrix.pipeline_value import deploy, move_to_stage

TODAY = timezone.localdate


@pytest.fixture
def launched(initiative):
    """The shared initiative (manager leads, contributor on the team) at its launch stage."""
    return move_to_stage(initiative, "launch")


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))


def actual_value(initiative) -> Decimal:
    return Initiative.objects.get(pk=initiative.pk).actual_value


# --- the money total ---------------------------------------------------------------------------

def test_actual_value_sums_money_indicators_only(launched, users):
    manager = users["manager"]
    made = {kind: actions.add_indicator(manager, launched, kind=kind, name=name, unit=unit)
            for kind, name, unit in (("revenue", "Retail sales", "GBP"),
                                     ("cost_saving", "Packaging saving", "GBP"),
                                     ("adoption", "Stores listing", "%"),
                                     ("satisfaction", "Shopper score", "out of 5"),
                                     ("other", "Tonnes of plastic avoided", "t"))}
    for kind, value in (("revenue", "1000"), ("cost_saving", "250.50"), ("adoption", "80"),
                        ("satisfaction", "4.5"), ("other", "12")):
        actions.record_indicator_value(manager, made[kind], actual=Decimal(value),
                                       measured_on=TODAY())
    assert actual_value(launched) == Decimal("1250.50")
    # A money indicator moved to another kind leaves the total; removing one does too.
    actions.update_indicator(manager, made["cost_saving"], kind="other")
    assert actual_value(launched) == Decimal("1000")
    actions.remove_indicator(manager, made["revenue"])
    assert actual_value(launched) == Decimal("0")
    assert not SolutionIndicator.objects.filter(pk=made["revenue"].pk).exists()


def test_each_change_records_one_event_with_the_value_it_moved(launched, users):
    manager = users["manager"]
    before = AuditEvent.objects.count()
    indicator = actions.add_indicator(manager, launched, kind="revenue", name="Sales",
                                      unit="GBP", projected=Decimal("5000"))
    actions.record_indicator_value(manager, indicator, actual=Decimal("4200"),
                                   measured_on=TODAY())
    actions.update_indicator(manager, indicator, projected=Decimal("4500"))
    actions.remove_indicator(manager, indicator)
    assert AuditEvent.objects.count() == before + 4
    assert verbs()[-4:] == ["solution_indicator.created", "solution_indicator.measured",
                            "solution_indicator.updated", "solution_indicator.removed"]
    measured = AuditEvent.objects.get(verb="solution_indicator.measured")
    assert measured.changes["initiative_actual_value"] == {"before": "0.00", "after": "4200.00"}
    assert measured.changes["actual"]["after"] == "4200.00"
    removed = AuditEvent.objects.get(verb="solution_indicator.removed")
    assert removed.object_id == str(indicator.pk)
    assert removed.changes["name"] == {"before": "Sales", "after": None}
    assert removed.changes["initiative_actual_value"]["after"] == "0.00"


def test_an_edit_that_changes_nothing_records_nothing(launched, users):
    indicator = actions.add_indicator(users["manager"], launched, kind="adoption",
                                      name="Stores", unit="stores", projected=400)
    before = AuditEvent.objects.count()
    actions.update_indicator(users["manager"], indicator, name="Stores", projected=400)
    assert AuditEvent.objects.count() == before


# --- after launch only -------------------------------------------------------------------------

def test_indicators_are_planned_before_launch_but_measured_after(initiative, users):
    manager = users["manager"]
    assert initiative.stage.key == "concept"
    indicator = actions.add_indicator(manager, initiative, kind="revenue", name="Sales",
                                      unit="GBP", projected=Decimal("90000"))
    with pytest.raises(StateConflict) as refused:
        actions.record_indicator_value(manager, indicator, actual=Decimal("1"),
                                       measured_on=TODAY())
    assert refused.value.code == "not_launched"
    assert "Measure after launch" in refused.value.message
    with pytest.raises(StateConflict):
        actions.record_post_launch_review(manager, initiative, summary="Too early.")
    indicator.refresh_from_db()
    assert indicator.actual is None and indicator.measured_on is None
    assert not PostLaunchReview.objects.exists()
    assert "solution_indicator.measured" not in verbs()
    # At a deploy stage it is measurable; and it stays so once deployed.
    move_to_stage(initiative, "launch")
    actions.record_indicator_value(manager, indicator, actual=Decimal("1"), measured_on=TODAY())
    deploy(initiative)
    actions.record_indicator_value(manager, indicator, actual=Decimal("2"), measured_on=TODAY())
    assert actual_value(initiative) == Decimal("2")


def test_develop_stage_is_not_yet_launched(initiative, users):
    move_to_stage(initiative, "develop")
    indicator = actions.add_indicator(users["manager"], initiative, kind="adoption",
                                      name="Pilot lines", unit="lines")
    with pytest.raises(StateConflict):
        actions.record_indicator_value(users["manager"], indicator, actual=2,
                                       measured_on=TODAY())


def test_stopped_initiative_takes_no_new_records(launched, users):
    indicator = actions.add_indicator(users["manager"], launched, kind="adoption",
                                      name="Stores", unit="stores")
    Initiative.objects.filter(pk=launched.pk).update(status=Initiative.Status.STOPPED)
    launched.status = Initiative.Status.STOPPED
    for call in (lambda: actions.add_indicator(users["manager"], launched, kind="other",
                                               name="X", unit="x"),
                 lambda: actions.record_indicator_value(users["manager"], indicator, actual=1,
                                                        measured_on=TODAY()),
                 lambda: actions.add_feedback(users["contributor"], launched, text="Late."),
                 lambda: actions.record_post_launch_review(users["manager"], launched,
                                                           summary="Stopped.")):
        with pytest.raises(StateConflict) as refused:
            call()
        assert refused.value.code == "initiative_stopped"
    assert not Feedback.objects.exists() and not PostLaunchReview.objects.exists()


# --- bad input ---------------------------------------------------------------------------------

def test_indicator_reports_every_field_error_at_once(launched, users):
    with pytest.raises(ValidationError) as refused:
        actions.add_indicator(users["manager"], launched, kind="profit", name="  ", unit="",
                              projected=Decimal("-5"))
    assert set(refused.value.message_dict) == {"kind", "name", "unit", "projected"}
    assert not SolutionIndicator.objects.exists()


@pytest.mark.parametrize(("projected", "message"), [
    ("12.345", "two decimal places"), ("1e13", "under 1,000,000,000,000"),
    ("-1", "cannot be negative"), ("NaN", "Enter a number"), ("lots", "Enter a number"),
    (True, "Enter a number"),
])
def test_projected_value_must_be_a_sensible_amount(launched, users, projected, message):
    with pytest.raises(ValidationError) as refused:
        actions.add_indicator(users["manager"], launched, kind="revenue", name="Sales",
                              unit="GBP", projected=projected)
    assert message in refused.value.message_dict["projected"][0]


def test_names_are_unique_and_money_shares_one_unit(launched, users):
    manager = users["manager"]
    actions.add_indicator(manager, launched, kind="revenue", name="Sales", unit="GBP")
    with pytest.raises(ValidationError) as refused:
        actions.add_indicator(manager, launched, kind="adoption", name="sales", unit="%")
    assert "already has an indicator" in refused.value.message_dict["name"][0]
    with pytest.raises(ValidationError) as refused:
        actions.add_indicator(manager, launched, kind="cost_saving", name="Saving", unit="EUR")
    assert "(GBP)" in refused.value.message_dict["unit"][0]
    actions.add_indicator(manager, launched, kind="cost_saving", name="Saving", unit="gbp")
    actions.add_indicator(manager, launched, kind="adoption", name="Reach", unit="EUR")
    assert SolutionIndicator.objects.count() == 3


def test_measurement_needs_a_value_and_a_date_not_in_the_future(launched, users):
    manager = users["manager"]
    revenue = actions.add_indicator(manager, launched, kind="revenue", name="Sales", unit="GBP")
    saving = actions.add_indicator(manager, launched, kind="cost_saving", name="Energy",
                                   unit="GBP")
    with pytest.raises(ValidationError) as refused:
        actions.record_indicator_value(manager, revenue, actual=None,
                                       measured_on=TODAY() + timedelta(days=1))
    assert set(refused.value.message_dict) == {"actual", "measured_on"}
    with pytest.raises(ValidationError) as refused:
        actions.record_indicator_value(manager, revenue, actual=Decimal("-10"),
                                       measured_on=TODAY())
    assert "negative" in refused.value.message_dict["actual"][0]
    with pytest.raises(ValidationError):
        actions.record_indicator_value(manager, revenue, actual=1, measured_on="2025-01-01")
    # A change may cost more than it saves: a negative saving is a real measurement.
    actions.record_indicator_value(manager, saving, actual=Decimal("-120"), measured_on=TODAY())
    assert actual_value(launched) == Decimal("-120")
    revenue.refresh_from_db()
    assert revenue.actual is None
    with pytest.raises(ValidationError) as refused:
        actions.update_indicator(manager, saving, kind="revenue")
    assert "negative" in refused.value.message_dict["kind"][0]


def test_update_takes_only_editable_fields(launched, users):
    indicator = actions.add_indicator(users["manager"], launched, kind="adoption", name="A",
                                      unit="%")
    with pytest.raises(TypeError):
        actions.update_indicator(users["manager"], indicator, actual=5)


@pytest.mark.parametrize("rating", [0, 6, -1, True, 3.5, "4"])
def test_feedback_rating_must_be_one_to_five(launched, users, rating):
    with pytest.raises(ValidationError) as refused:
        actions.add_feedback(users["contributor"], launched, text="Good.", rating=rating)
    assert set(refused.value.message_dict) == {"rating"}
    assert not Feedback.objects.exists()


def test_feedback_needs_text_and_may_go_without_a_rating(launched, users):
    with pytest.raises(ValidationError) as refused:
        actions.add_feedback(users["contributor"], launched, text="   ", rating=9)
    assert set(refused.value.message_dict) == {"text", "rating"}
    made = actions.add_feedback(users["contributor"], launched, text="Reheats evenly.")
    assert made.rating is None and made.author == users["contributor"]
    assert verbs()[-1] == "feedback.created"


# --- the post-launch review --------------------------------------------------------------------

def test_second_review_revises_the_one_review(launched, users):
    contributor, manager = users["contributor"], users["manager"]
    first = actions.record_post_launch_review(contributor, launched, summary="Live in 400 stores.")
    again = actions.record_post_launch_review(manager, launched, summary="Live in 420 stores.",
                                              lessons="Book the line trials earlier.")
    assert again.pk == first.pk and PostLaunchReview.objects.count() == 1
    again.refresh_from_db()
    assert (again.summary, again.reviewed_by) == ("Live in 420 stores.", manager)
    assert verbs()[-2:] == ["post_launch_review.created", "post_launch_review.updated"]
    updated = AuditEvent.objects.filter(verb="post_launch_review.updated").get()
    assert updated.changes["summary"] == {"before": "Live in 400 stores.",
                                          "after": "Live in 420 stores."}


def test_only_lead_writer_and_managers_revise_a_written_review(launched, users):
    partner = users["partner"]
    TeamMember.objects.create(initiative=launched, user=partner, role="partner",
                              added_by=users["manager"])
    actions.record_post_launch_review(users["contributor"], launched, summary="Live.")
    with pytest.raises(PermissionDenied):
        actions.record_post_launch_review(partner, launched, summary="Changed by a partner.")
    actions.record_post_launch_review(users["contributor"], launched, summary="Live, v2.")
    actions.record_post_launch_review(users["admin"], launched, summary="Live, v3.")
    assert PostLaunchReview.objects.get().summary == "Live, v3."


def test_review_summary_is_required(launched, users):
    with pytest.raises(ValidationError) as refused:
        actions.record_post_launch_review(users["manager"], launched, summary="",
                                          lessons="x" * 10001)
    assert set(refused.value.message_dict) == {"summary", "lessons"}
    assert not PostLaunchReview.objects.exists()


# --- who may -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["leader", "evaluator", "auditor", "partner"])
def test_only_the_team_and_managers_keep_indicators(launched, users, role):
    with pytest.raises(PermissionDenied):
        actions.add_indicator(users[role], launched, kind="other", name="X", unit="x")
    assert not SolutionIndicator.objects.exists()


def test_partner_on_the_team_keeps_indicators_and_gives_feedback(launched, users):
    partner = users["partner"]
    TeamMember.objects.create(initiative=launched, user=partner, role="partner",
                              added_by=users["manager"])
    indicator = actions.add_indicator(partner, launched, kind="cost_saving",
                                      name="Film saved", unit="GBP")
    actions.record_indicator_value(partner, indicator, actual=300, measured_on=TODAY())
    actions.add_feedback(partner, launched, text="Our line ran it without change.", rating=4)
    assert actual_value(launched) == Decimal("300")


@pytest.mark.parametrize(("role", "may"), [
    ("admin", True), ("manager", True), ("leader", True), ("evaluator", True),
    ("contributor", True), ("partner", False), ("auditor", False)])
def test_feedback_from_anyone_taking_part_who_sees_it(launched, users, role, may):
    if may:
        actions.add_feedback(users[role], launched, text="Works well.", rating=5)
        assert Feedback.objects.filter(author=users[role]).exists()
    else:
        with pytest.raises(PermissionDenied):
            actions.add_feedback(users[role], launched, text="Works well.", rating=5)


def test_confidential_initiative_takes_feedback_only_from_those_who_see_it(launched, users):
    Initiative.objects.filter(pk=launched.pk).update(confidential=True)
    with pytest.raises(PermissionDenied):
        actions.add_feedback(users["evaluator"], launched, text="Saw it somewhere.")
    actions.add_feedback(users["contributor"], launched, text="On the team.")
    assert Feedback.objects.count() == 1
