"""Demo pipeline: resources (see the package's PLAN). Alder Valley Foods' initiatives ask for
budget, people-hours and a partner; top management decides; teams record what they spend. The
GBP envelopes come from the strategy demo (seedbed/core/demo/strategy/resources.py).

Each request is made for the stage whose gate needs it, which is often later than the stage the
initiative is at when this module runs (``gates`` walks them forward afterwards): the product
"develop", process "roll out" and business-model "incubate" gates ask for resources approved
for that stage. Units with no envelope above them (Quality & Food Safety, Supply Chain &
Logistics, Retail Sales) ask for people-hours instead of money.

Everything goes through seedbed.pipeline.actions.resources, so the audit trail tells the story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from seedbed.pipeline.actions import resources as actions

APPROVE, REJECT, PENDING = "approve", "reject", "pending"


@dataclass(frozen=True)
class Ask:
    slot: str  # PLAN slot
    stage: str  # key of the stage the request is for
    kind: str  # budget, hours or partner
    what: str  # amount (GBP), hours, or partner organisation name
    justification: str
    outcome: str = APPROVE
    decider: str = "leader"  # demo person key of the leader who decides
    note: str = ""  # decision note (required to reject)
    override: str = ""  # reason, when the approval goes beyond the envelope
    spends: tuple[tuple[str, int, str], ...] = ()  # (amount, days ago, note)


ASKS = (
    # Product or service: the develop gate needs resources approved for develop.
    Ask("p_develop", "develop", "partner", "Kestrel Packaging Ltd",
        "Kestrel's development team runs the mono-material tray trials on their thermoformer "
        "and supplies 2,000 trial trays; covered by the IP terms agreed this year.",
        decider="leader", note="Joint trials are how we get to kerbside-recyclable by 2027."),
    Ask("p_develop", "develop", "budget", "28000",
        "Trial tooling for the 600 g tray (£19,500) and two shelf-life runs on line 4 at "
        "Leeds (£8,500), to prove seal integrity over 21 days.", outcome=PENDING),
    Ask("p_launch", "develop", "budget", "35000",
        "Three pilot batches of the reduced-salt gravy with the fermented onion base, and two "
        "sensory panels against the current range.", decider="leader",
        note="Approved: keep the recipe work inside the confidential team.",
        spends=(("18400", 70, "Pilot batches 1 and 2, Leeds kitchen"),
                ("12800", 40, "Sensory panels, Harrowgate Food Training"))),
    Ask("p_scale", "develop", "budget", "42000",
        "Factory trial of the lentil-and-mushroom lasagne on the ready-meal line, shelf-life "
        "testing and packaging artwork.", decider="tom",
        spends=(("27500", 120, "Factory trial, two shifts"),
                ("12300", 95, "Shelf-life lab and artwork"))),
    Ask("p_deployed", "develop", "budget", "38000",
        "Moulded-fibre lid tooling and a capping-head change on the soup cup line.",
        decider="leader", note="Fits the plastic objective; go.",
        spends=(("29750", 200, "Lid tooling, deposit and balance"),
                ("7000", 180, "Capping head conversion"))),
    Ask("p_validate", "validate", "budget", "18000",
        "Shopper tests of the soup pouch in six stores and a 2,000-pouch pilot run.",
        decider="leader", spends=(("9800", 25, "Pilot run of 2,000 pouches"),
                                  ("4200", 12, "In-store tests, weeks 1-2"))),
    Ask("p_stopped", "validate", "budget", "12000",
        "A frozen trial run of smoothie cubes at a co-packer, to test the format in stores.",
        outcome=REJECT, decider="tom",
        note="Frozen sits outside our chilled supply chain: test demand with a concept panel "
             "before paying for a co-packer run."),
    # Process improvement: the roll-out gate needs resources approved for roll-out.
    Ask("pr_pilot", "pilot", "hours", "240",
        "Two refrigeration engineers for six weeks to fit the heat exchanger on chiller 3 and "
        "log CIP water temperatures.", decider="claire"),
    Ask("pr_rollout", "rollout", "budget", "48000",
        "Vibration sensors and gateways for all eight filling lines at both sites, and the "
        "first year of the monitoring service.", decider="claire",
        note="Roll out Leeds first, Wrexham after the summer peak.",
        spends=(("21400", 30, "Sensors and gateways, Leeds lines 1-4"),)),
    Ask("pr_standardise", "rollout", "hours", "160",
        "Quality technicians' time to train every shift on the tablet HACCP checks and run "
        "paper in parallel for two weeks.", decider="claire"),
    Ask("pr_hold", "pilot", "budget", "32000",
        "Rent a collaborative robot for a three-month night-shift pilot on the jar line.",
        decider="claire", spends=(("9500", 60, "Cobot rental, first month and deposit"),)),
    # Business model: the incubate gate needs resources approved for incubate.
    Ask("bm_test", "test", "budget", "26000",
        "A minimum viable web shop and a four-week fulfilment trial with a courier, for 300 "
        "subscribers.", decider="tom",
        override="Marketing's envelope went on the pouch tests; the subscription test is this "
                 "year's H3 bet. Finance moves the difference from the Q4 contingency."),
    Ask("bm_incubate", "incubate", "hours", "120",
        "Planners' and a key account manager's time to run the caterer sales pilot for a "
        "quarter.", decider="tom"),
    Ask("bm_launch", "incubate", "hours", "200",
        "Development chef and key account time for the wholesaler's private-label recipes "
        "and line trials.", decider="tom"),
    # Continuous improvement: no gate asks for resources, but LEDs cost money.
    Ask("ci_deployed", "implement", "budget", "14500",
        "LED fittings with motion sensors for the chill store, installed over two weekends.",
        decider="claire",
        spends=(("9800", 150, "LED fittings"), ("4700", 140, "Installation, two weekends"))),
)


def build(ctx: dict) -> dict:
    users, today = ctx["users"], ctx["today"]
    plan = {p.slot: p for p in ctx["pipeline_plan"]}
    initiatives = ctx.get("initiatives", {})
    built = {"requests": 0, "approved": 0, "spends": 0}
    for ask in ASKS:
        initiative = initiatives.get(ask.slot)
        if initiative is None:
            continue
        made = _request(ctx, initiative, plan[ask.slot].lead, ask)
        built["requests"] += 1
        decider = users[ask.decider]
        if ask.outcome == APPROVE:
            actions.approve_request(decider, made, note=ask.note, override=bool(ask.override),
                                    override_reason=ask.override)
            built["approved"] += 1
        elif ask.outcome == REJECT:
            actions.reject_request(decider, made, note=ask.note)
        for amount, days_ago, note in ask.spends:
            actions.record_spend(users[plan[ask.slot].lead], made, amount=amount,
                                 spent_on=today - timedelta(days=days_ago), note=note)
            built["spends"] += 1
    return built


def _request(ctx: dict, initiative, lead: str, ask: Ask):
    stage = initiative.version.stages.get(key=ask.stage)
    if ask.kind == "partner":
        what = {"partner_org": ctx["partners"][ask.what]}
    else:
        what = {"amount" if ask.kind == "budget" else "hours": ask.what}
    return actions.request_resources(ctx["users"][lead], initiative, kind=ask.kind,
                                     stage=stage, justification=ask.justification, **what)
