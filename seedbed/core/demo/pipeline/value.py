"""Demo pipeline: value (see the package's PLAN). Measures the launched solutions of Alder
Valley Foods: the two deployed initiatives and those standing at deploy-phase stages get solution
indicators (GBP revenue and cost saving, adoption, satisfaction) with projected and measured
values, feedback from colleagues who use them, and the deployed ones a post-launch review.

Runs after ``gates``, which records some of the same through these actions just before the
deploy-stage gates that ask for them; what already exists (an indicator of the same name, a
review) is left as it is. Everything goes through ``seedbed.pipeline.actions.value``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from seedbed.pipeline.actions import value as actions
from seedbed.pipeline.models import Initiative, PostLaunchReview
from seedbed.pipeline.selectors.value import is_launched


@dataclass(frozen=True)
class Measure:
    kind: str
    name: str
    unit: str
    projected: str
    actual: str
    days_ago: int = 7  # when it was measured, before the day of seeding


@dataclass(frozen=True)
class Said:
    author: str  # demo person key; they must be able to see the initiative
    text: str
    rating: int | None = None


@dataclass(frozen=True)
class Review:
    summary: str
    value_assessment: str
    lessons: str


@dataclass(frozen=True)
class Outcome:
    measures: tuple[Measure, ...]
    feedback: tuple[Said, ...]
    review: Review | None = None


OUTCOMES: dict[str, Outcome] = {
    # Confidential (recipe IP): only its team, managers and leaders see it, and give feedback.
    "p_launch": Outcome(
        (Measure("revenue", "Gravy range sales, annual run rate", "GBP", "520000", "476000"),
         Measure("adoption", "Target stores stocking the range", "%", "75", "68"),
         Measure("satisfaction", "Taste panel score against the full-salt gravy",
                 "points of 5", "4", "4.2")),
        (Said("leader", "Tasted blind at the launch review: nobody at the table picked out the "
                        "reduced-salt pot. Sales are a little behind plan only because two "
                        "retailers reset their gravy bays late.", 5),
         Said("claire", "Wrexham runs the fermented onion base without changeover trouble, but "
                        "the base needs its own allergen-free slot; plan the schedule around "
                        "it.", 4),
         Said("manager", "Retail buyers ask whether the same base works for the stock pots. "
                         "Worth an idea of its own.", 4))),
    "p_scale": Outcome(
        (Measure("satisfaction", "Shopper rating on retailer websites", "points of 5", "4.2",
                 "4.4"),
         Measure("adoption", "Shoppers buying again within four weeks", "%", "30", "26")),
        (Said("kasia", "The lasagne line at Leeds is steady now; the first week's sauce "
                       "spills on the depositor are solved.", 4),
         Said("nadia", "Reviews love the taste and the portion. The repeat rate lags because "
                       "the pack looks like our meat lasagne on shelf.", 4),
         Said("sam", "Two buyers want a family-size pack before they extend the listing.",
              None))),
    "p_deployed": Outcome(
        (Measure("adoption", "Soup-cup lines running fibre lids", "%", "100", "100", 30),
         Measure("other", "Plastic removed a year", "tonnes", "42", "45.6", 30)),
        (Said("kasia", "The fibre lids go on as fast as the old ones now the sealing heads "
                       "were re-set. No more cracked lids at the start of a run.", 5),
         Said("irene", "Forty-five tonnes of plastic gone is the single biggest step on our "
                       "packaging objective this year.", 5),
         Said("dan", "Night shift still gets the odd lid that will not seat when the fibre "
                     "stock is damp; store the pallets off the chill-store floor.", 3)),
        # ``gates`` usually writes this review first, before the scale gate that asks for it.
        Review(
            summary="Fibre lids replaced the clear plastic lids on every soup cup from Leeds. "
                    "The lids are recyclable with the cups' paper sleeve and carry the "
                    "recycling mark retailers asked for.",
            value_assessment="Material and plastic-tax savings came in above the value case; "
                             "shopper ratings held. Plastic removed: 45.6 tonnes a year "
                             "against 42 projected.",
            lessons="Bring the line engineers into lid trials from the first day: the sealing "
                    "settings, not the lid, caused the early failures. Damp fibre stock "
                    "needs dry storage, which we only learned on night shift.")),
    "pr_standardise": Outcome(
        (Measure("cost_saving", "Paper, printing and admin time saved a year", "GBP", "45000",
                 "39500"),
         Measure("adoption", "CCP checks recorded on tablets", "%", "95", "97"),
         Measure("satisfaction", "Shift managers' rating of the alerts", "points of 5", "4",
                 "4.3")),
        (Said("aisha", "Our BRCGS auditor went through three weeks of tablet records in an "
                       "hour; with paper that was a day.", 5),
         Said("dan", "The alert when a check is late is useful. The tablets need a charging "
                     "point on each line, not one in the office.", 4),
         Said("rhian", "Wrexham's hygiene checks still go on paper in the wash-down area "
                       "because the tablets are not waterproof.", 3))),
    "bm_launch": Outcome(
        (Measure("revenue", "Private-label soup sales to the wholesaler, annual run rate",
                 "GBP", "700000", "586000", 10),
         Measure("adoption", "Wholesaler depots stocking our soups", "%", "80", "65", 10),
         Measure("satisfaction", "Wholesaler quality score", "points of 5", "4.5", "4.6", 10)),
        (Said("marcus", "The 2 kg catering packs fit our Wrexham run lengths well; the "
                        "wholesaler's forecast swings are the hard part to plan.", 4),
         Said("tom", "Margin per litre is below the value case because the wholesaler took "
                     "the volume discount earlier than planned. Watch the second quarter.",
              3))),
    "ci_verify": Outcome(
        (Measure("cost_saving", "Mislabelled batches avoided a year (rework and write-off)",
                 "GBP", "9000", "10400"),
         Measure("adoption", "Shifts doing the printer check", "%", "100", "94")),
        (Said("kasia", "Two minutes at the start of the shift and I know the date codes are "
                       "right. We caught a wrong best-before on the second day.", 5),
         Said("megan", "Sauces copied the check on our own; it would help to have it in the "
                       "shift handover sheet.", 4))),
    "ci_deployed": Outcome(
        (Measure("satisfaction", "Warehouse team rating of the new lighting", "points of 5",
                 "4", "4.5", 21),
         Measure("other", "Lighting faults reported a month", "faults", "2", "1", 21)),
        (Said("joanna", "Picking in the chill store is much easier on the eyes; labels read "
                        "first time.", 5),
         Said("olu", "The motion sensors were timed out too short in the back aisles; set to "
                     "ten minutes now.", 4)),
        Review(
            summary="LED fittings with motion sensors replaced the sodium lamps in the Leeds "
                    "chill store. The store is lit only where people work.",
            value_assessment="The electricity saving is above the case; the warehouse team "
                             "rates the light well and faults halved.",
            lessons="Set sensor time-outs with the pickers, not from the datasheet: the first "
                    "setting left people in the dark in the back aisles.")),
}


def _measure(ctx: dict, initiative: Initiative, lead, plan: Outcome) -> int:
    existing = {name.casefold() for name in initiative.indicators.values_list("name",
                                                                                flat=True)}
    made = 0
    for m in plan.measures:
        if m.name.casefold() in existing:
            continue
        indicator = actions.add_indicator(lead, initiative, kind=m.kind, name=m.name,
                                          unit=m.unit, projected=Decimal(m.projected))
        made += 1
        if is_launched(initiative):
            actions.record_indicator_value(lead, indicator, actual=Decimal(m.actual),
                                           measured_on=ctx["today"] - timedelta(days=m.days_ago))
    return made


def build(ctx: dict) -> dict:
    # Built by the earlier ``initiatives`` module; absent only when it has not run at all.
    initiatives = ctx.get("initiatives")
    if not initiatives:
        return {}
    users = ctx["users"]
    leads = {row.slot: row.lead for row in ctx["pipeline_plan"]}
    counts = {"indicators": 0, "feedback": 0, "reviews": 0}
    for slot, plan in OUTCOMES.items():
        initiative = (Initiative.objects.select_related("stage")
                      .get(pk=initiatives[slot].pk))
        lead = users[leads[slot]]
        counts["indicators"] += _measure(ctx, initiative, lead, plan)
        for said in plan.feedback:
            actions.add_feedback(users[said.author], initiative, text=said.text,
                                 rating=said.rating)
            counts["feedback"] += 1
        if (plan.review and is_launched(initiative)
                and not PostLaunchReview.objects.filter(initiative=initiative).exists()):
            actions.record_post_launch_review(
                lead, initiative, summary=plan.review.summary,
                value_assessment=plan.review.value_assessment, lessons=plan.review.lessons)
            counts["reviews"] += 1
    return counts
