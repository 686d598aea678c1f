"""Demo pipeline: validation — assumptions, experiments and risks for every initiative of the
PLAN, recorded through the validation actions by each initiative's lead (and, where the partner
is on the team, by the partner).

How much is known follows where the PLAN takes each initiative, so the uncertainty falls along
the pipeline:

- at its first stage an initiative has no experiments yet; desk research has settled just
  enough critical assumptions to sit within that stage's risk appetite;
- at a validate-phase stage, experiments have concluded on the riskiest critical assumptions,
  enough to sit within appetite; the rest are running or planned. ``ABOVE_APPETITE`` is one
  step short, so the gate shows its warning;
- past the validate phase, every critical assumption has a concluded experiment (the gate
  evidence rule ``experiment_per_critical`` passes);
- the stopped initiative's failed experiment carries the learning that explains the stop.

Risks: one to three per initiative; high ones are treated, except one early on (``bm_explore``)
left untreated so the register's warning shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from seedbed.pipeline import selectors
from seedbed.pipeline.actions import validation as actions
from seedbed.pipeline.models import Assumption, Experiment, Stage

ABOVE_APPETITE = "p_validate"
D, F, V, OTHER = "desirability", "feasibility", "viability", "other"


@dataclass(frozen=True)
class Test:
    """An experiment on one assumption, with what it found if it has run."""

    hypothesis: str
    method: str
    metric: str
    threshold: str
    result: str
    learning: str
    outcome: str = Experiment.Status.SUCCEEDED


@dataclass(frozen=True)
class Belief:
    """An assumption; critical ones (importance 4-5) carry the tests that settle them, in the
    order they were run."""

    kind: str
    importance: int
    statement: str
    tests: tuple[Test, ...] = ()


# Per slot: assumptions, riskiest first (teams test those first).
ASSUMPTIONS: dict[str, tuple[Belief, ...]] = {
    "p_concept": (
        Belief(D, 5, "Lunch shoppers pick a lentil bowl over a sandwich meal deal at £3.50", (
            Test("At least a quarter of meal-deal buyers choose the bowl when both are on the "
                 "shelf", "Shelf mock-up in the staff shop for two weeks", "Share of lunch "
                 "buyers taking the bowl", "≥ 25 %", "", ""),)),
        Belief(F, 4, "The bowls keep 8 days chilled without preservatives", (
            Test("Total viable count stays within spec on day 8 at 5 °C", "Challenge test on "
                 "three pilot batches", "TVC on day 8", "Within the ready-to-eat limit", "",
                 ""),)),
        Belief(V, 4, "We reach a 35 % gross margin at £3.50"),
        Belief(D, 2, "Protein on the front of pack is what draws gym-goers"),
    ),
    "p_validate": (
        Belief(D, 5, "Food-to-go shoppers will heat a soup pouch in an office microwave", (
            Test("At least 40 % of lunchtime soup buyers have a microwave at work and would "
                 "use it", "Intercept survey at six city-centre stores", "Share who would heat "
                 "a pouch at work", "≥ 40 %", "52 % of 410 shoppers said yes; 61 % of office "
                 "workers.", "Office-heavy stores are where to launch; commuter stations are "
                 "not."),)),
        Belief(F, 4, "Pouches survive 10 days beside the sandwiches without leaking", (
            Test("Fewer than 1 in 200 pouches leak after 10 days at 5 °C with display "
                 "handling", "Shelf-life and drop trial of the retort pouch", "Leak rate",
                 "< 0.5 %", "0.2 % leaked, all from one sealing jaw.",
                 "Sealing-jaw maintenance goes into the line checklist."),)),
        Belief(V, 4, "Retailers give us a slot in the food-to-go chiller", (
            Test("Two of our three largest customers list the pouches in food-to-go",
                 "Category pitches with sell-in samples", "Listings", "2 of 3 retailers",
                 "", ""),)),
        Belief(OTHER, 2, "A pouch fits how shoppers see our soup brand"),
    ),
    "p_develop": (
        Belief(F, 5, "A polypropylene mono-material tray seals as reliably as the laminate", (
            Test("Seal failures stay under 2 per 1,000 trays on line 3", "Line trial of "
                 "5,000 trays", "Seal failures per 1,000", "≤ 2", "3.1 per 1,000, but most "
                 "came from trays stored in a cold corridor.", "Tray temperature at the "
                 "sealer matters more than the film: rerun with conditioned trays.",
                 Experiment.Status.INCONCLUSIVE),
            Test("With trays conditioned to 18 °C, seal failures stay under 2 per 1,000",
                 "Line trial of 20,000 conditioned trays", "Seal failures per 1,000", "≤ 2",
                 "0.9 per 1,000 over 20,000 trays.", "Tray conditioning is a process step "
                 "in the new specification."),
        )),
        Belief(V, 4, "The recyclable tray adds no more than 2p a pack", (
            Test("Quoted price at 6 million trays a year is within 2p of today's tray",
                 "Tender to three tray makers", "Extra cost per pack", "≤ 2p", "1.4p with "
                 "the best bid.", "Volume commitment over three years bought the price."),)),
        Belief(D, 4, "Shoppers notice a 'widely recycled' label and value it", (
            Test("Twice as many shoppers recall the recycling message as today's on-pack "
                 "claim", "Online shelf test with 600 shoppers", "Unprompted recall",
                 "≥ 2×", "Recall went from 11 % to 27 %.", "Put the claim on the front "
                 "face, not the sleeve back."),)),
        Belief(OTHER, 3, "Kerbside collections in our top ten councils accept the trays"),
    ),
    "p_launch": (
        Belief(D, 5, "Regular gravy buyers cannot tell the 30 % lower-salt version apart", (
            Test("In a triangle test no more than chance pick out the lower-salt gravy",
                 "Triangle test with 60 consumers", "Correct identifications",
                 "Not significant at 5 %", "23 of 60 correct (chance is 20).",
                 "The fermented onion base carries the savoury note salt used to give."),)),
        Belief(F, 4, "The fermented onion base stays stable for 9 months ambient", (
            Test("Flavour and colour stay within spec after accelerated ageing equal to 9 "
                 "months", "Accelerated shelf-life study", "Sensory panel score",
                 "Within 1 point of fresh", "Within 0.6 points; colour unchanged.",
                 "No antioxidant needed: one less ingredient on the label."),)),
        Belief(V, 4, "The onion base adds less than 1.5p a jar", (
            Test("Ingredient cost at launch volume adds under 1.5p", "Costing with the "
                 "fermentation supplier", "Added cost per jar", "< 1.5p", "1.1p a jar.",
                 "Buying the base in 1-tonne totes keeps it cheap."),)),
    ),
    "p_scale": (
        Belief(D, 5, "Flexitarian shoppers buy the lasagne again within six weeks", (
            Test("At least 30 % of first buyers repurchase within six weeks", "Loyalty-card "
                 "data from the launch retailer", "Repeat rate", "≥ 30 %", "34 % repeat.",
                 "Repeat is highest where it sits next to the meat lasagne."),)),
        Belief(F, 4, "The Leeds ready-meal line runs the lasagne at 40 packs a minute", (
            Test("The line holds 40 packs a minute over a full shift", "Two full-shift "
                 "production runs", "Packs a minute", "≥ 40", "42 a minute on average.",
                 "The pasta-sheet feeder sets the pace; it needs a spare."),)),
        Belief(V, 4, "Two national listings pay for the line changeovers", (
            Test("Contribution from two listings exceeds the changeover cost in year one",
                 "Finance model on launch sales", "Year-one contribution vs changeover "
                 "cost", "> 1", "1.6 times the changeover cost.",
                 "Group the lasagne runs with the other vegetarian meals."),)),
        Belief(D, 3, "Shoppers prefer a mushroom ragu to soy mince", (
            Test("The mushroom version wins a paired preference test", "Paired preference, "
                 "80 consumers", "Preference share", "> 50 %", "41 % preferred mushroom.",
                 "Keep the blend: mushroom for flavour, soy for texture.",
                 Experiment.Status.FAILED),)),
    ),
    "p_deployed": (
        Belief(F, 5, "Moulded fibre lids keep a tight fit after 7 days in the chiller", (
            Test("No lid lifts after 7 days at 5 °C and 85 % humidity", "Chiller trial of "
                 "2,000 cups", "Lids lifted", "0", "None lifted.",
                 "The barrier coating is what keeps the fit; specify it."),)),
        Belief(D, 4, "Shoppers accept a lid they cannot see through", (
            Test("Sales of the fibre-lidded soups stay within 3 % of the clear-lidded ones",
                 "A/B across 40 stores for four weeks", "Unit sales difference", "≥ −3 %",
                 "+1 %: no loss.", "A window on the sleeve shows the soup well enough."),)),
        Belief(V, 4, "Fibre lids cost no more than plastic ones at 5 million a year", (
            Test("Fibre lid price is at or below the plastic lid plus plastic tax",
                 "Supplier quotes", "Cost per lid incl. plastic tax", "≤ today",
                 "0.2p cheaper once the tax is counted.", "The plastic tax tipped it."),)),
    ),
    "p_stopped": (
        Belief(D, 5, "Households with blenders buy frozen smoothie cubes every week", (
            Test("At least 25 % of trial households reorder within two weeks",
                 "Home-use test with 150 households", "Reorder rate", "≥ 25 %",
                 "9 % reordered. Most said the freezer was full and the cubes took too long "
                 "to blend.",
                 "The barrier is freezer space and blending time, not taste or price. Frozen "
                 "is also a channel where we have no buyers or logistics. Stop, and bring "
                 "the fruit-and-veg idea back as a chilled shot in our own aisle.",
                 Experiment.Status.FAILED),)),
        Belief(F, 4, "We can portion and freeze on the Leeds soup line without a tunnel", (
            Test("A spiral freezer hired for a week reaches −18 °C core in 40 minutes",
                 "Hired freezer trial", "Time to −18 °C core", "≤ 40 min", "", ""),)),
        Belief(V, 3, "A 300 g bag sells at £3"),
    ),
    "pr_diagnose": (
        Belief(OTHER, 4, "Most of the 90-minute clean is waiting, not cleaning", (
            Test("Waiting is more than half the changeover time", "Time study", "", "", "",
                 ""),)),
        Belief(F, 5, "A 45-minute clean removes allergens below detection", (
            Test("Swabs after a 45-minute clean test negative for mustard and celery on 10 "
                 "runs", "Validation runs with ATP and allergen swabs", "Positive swabs",
                 "0 of 10 runs", "", ""),)),
        Belief(V, 3, "Each hour saved is worth £1,200 in extra sauce runs"),
    ),
    "pr_pilot": (
        Belief(F, 5, "Condenser waste heat lifts CIP water from 12 °C to 45 °C", (
            Test("A plate exchanger on one condenser reaches 45 °C at full CIP flow",
                 "Pilot exchanger on chiller 2 for a month", "Outlet temperature",
                 "≥ 45 °C", "47 °C on average, 43 °C on the coldest days.",
                 "Top up with the existing gas heater on cold days only."),)),
        Belief(V, 4, "The gas saving pays back the exchanger within three years", (
            Test("Metered gas saving over the pilot month extrapolates to a payback under "
                 "three years", "Sub-metering on the CIP heater", "Payback", "< 3 years",
                 "2.1 years at this year's gas price.", "Payback is sensitive to the gas "
                 "price: fix it in the business case at the 5-year average."),)),
        Belief(OTHER, 4, "The refrigeration contractor keeps the warranty valid", (
            Test("The contractor signs off the connection design", "Design review with "
                 "the contractor", "Sign-off", "Written approval", "", ""),)),
    ),
    "pr_rollout": (
        Belief(F, 5, "Vibration sensors warn at least two weeks before a bearing fails", (
            Test("On the pilot filler, every bearing failure is flagged 14 days ahead",
                 "Sensors on 4 filler motors for 6 months", "Warning lead time",
                 "≥ 14 days", "Both failures flagged, 19 and 23 days ahead.",
                 "Alert on trend, not on a fixed threshold."),)),
        Belief(OTHER, 4, "Engineers act on the alerts instead of ignoring them", (
            Test("At least 90 % of alerts get a work order within a shift", "CMMS records "
                 "during the pilot", "Alerts with a work order in 8 hours", "≥ 90 %",
                 "94 %.", "Alerts go straight into the CMMS, never by e-mail."),)),
        Belief(V, 4, "Avoided stoppages save more than £40k a year across both plants", (
            Test("Downtime avoided on the pilot line extrapolates above £40k", "Downtime "
                 "log before and after", "Annual saving", "> £40k", "£58k estimated.",
                 "Wrexham's older fillers gain most: start the roll-out there."),)),
    ),
    "pr_standardise": (
        Belief(D, 5, "Operatives complete tablet checks on time more often than paper", (
            Test("On-time CCP checks rise above 98 %", "One line on tablets for a month",
                 "On-time checks", "≥ 98 %", "99.2 % against 91 % on paper.",
                 "Reminders on the tablet do the work the shift manager did."),)),
        Belief(F, 4, "Tablets survive the wash-down areas in rugged cases", (
            Test("No tablet fails in three months of daily wash-downs", "Four tablets in "
                 "IP67 cases", "Failures", "0", "None failed.",
                 "Mount them away from the hose points anyway."),)),
        Belief(OTHER, 4, "Our certification auditor accepts electronic CCP records", (
            Test("The BRCGS auditor raises no finding on the electronic records",
                 "Records shown at the surveillance audit", "Findings", "0",
                 "No finding; the audit trail was praised.",
                 "Keep the signed-off procedure for record changes."),)),
    ),
    "pr_hold": (
        Belief(F, 5, "A cobot packs 12 jars a case at 10 cases a minute", (
            Test("The integrator's demo cell holds 10 cases a minute for an hour",
                 "Demo at the integrator's site", "Cases a minute", "≥ 10", "10.4 a minute.",
                 "The gripper change between jar sizes takes 6 minutes."),)),
        Belief(V, 4, "The cobot pays back within two years on the night shift", (
            Test("The quoted cell cost against night-shift packing cost pays back in two "
                 "years", "Integrator quote and labour costing", "Payback", "≤ 2 years",
                 "1.8 years.", "Only on the night shift: days need the people for quality "
                 "checks."),)),
        Belief(D, 4, "Night-shift packers welcome the cobot taking the lifting", (
            Test("Most packers back the cobot after seeing the demo", "Demo visit and "
                 "survey", "Share in favour", "> 50 %", "", ""),)),
    ),
    "bm_explore": (
        Belief(D, 5, "Trust catering managers want weekly chilled kits instead of "
                     "cook-freeze", (
            Test("Five of eight catering managers interviewed would trial the kits",
                 "Problem interviews", "Managers willing to trial", "≥ 5 of 8", "", ""),)),
        Belief(V, 5, "A subscription at £4.20 a patient meal covers our costs", (
            Test("Costing of a pilot menu comes in under £4.20 a meal", "Costing with "
                 "finance", "Cost per meal", "< £4.20", "", ""),)),
        Belief(OTHER, 4, "We can qualify for the NHS supply framework within a year"),
    ),
    "bm_test": (
        Belief(D, 5, "Enough of our brand's followers subscribe to a fortnightly soup box", (
            Test("At least 2 % of newsletter readers sign up at £24 a box",
                 "Fake-door landing page to 40,000 readers", "Sign-up rate", "≥ 2 %",
                 "2.7 %, mostly households of two.", "Offer a box for two as the default."),)),
        Belief(V, 5, "Courier cost per box stays under £4.50", (
            Test("Quotes for next-day chilled delivery come under £4.50 at 2,000 boxes a "
                 "week", "Courier tender", "Cost per box", "< £4.50", "£4.10 with the "
                 "second-best courier.", "Regional couriers beat national ones on "
                 "chilled."),)),
        Belief(F, 4, "Boxes arrive below 8 °C in summer with our insulated liner", (
            Test("Core temperature on arrival stays under 8 °C on a 30 °C day", "Test "
                 "shipments in July", "Arrival temperature", "< 8 °C", "", ""),)),
    ),
    "bm_incubate": (
        Belief(D, 5, "Contract caterers buy short-dated sauce at 40 % off", (
            Test("Three caterers buy every surplus run offered for a month",
                 "Pilot offers to five caterers", "Caterers buying each run", "≥ 3",
                 "Four bought every run.", "Caterers want 5 kg bags, not jars."),)),
        Belief(F, 4, "Planning can flag surplus runs five days before their date", (
            Test("The planning report flags 90 % of surplus five days ahead", "Back-test "
                 "on last year's data", "Surplus flagged ≥ 5 days ahead", "≥ 90 %", "93 %.",
                 "Flag on forecast error, not on stock age."),)),
        Belief(V, 4, "Write-offs fall by more than the discount we give", (
            Test("Net margin on surplus sales beats the write-off cost", "Pilot month "
                 "accounts", "Margin vs write-off", "> 0", "£6,200 better than writing "
                 "off.", "Worth running as its own small business line."),)),
    ),
    "bm_launch": (
        Belief(D, 5, "The wholesaler's customers accept our soups under its label", (
            Test("Repeat orders from the wholesaler's top 50 customers in month two",
                 "Soft launch in one region", "Customers reordering", "≥ 60 %", "71 %.",
                 "Pub chains reorder most: they lack soup chefs."),)),
        Belief(V, 5, "Private-label volume covers the margin we give up", (
            Test("Contribution at private-label prices covers fixed costs of the extra "
                 "volume", "Finance model on the soft-launch volumes", "Contribution",
                 "> fixed costs", "Covered 1.3 times.", "Keep private label off the "
                 "peak-season weeks."),)),
        Belief(F, 4, "We meet the wholesaler's 48-hour order lead time from Leeds", (
            Test("95 % of orders ship within 48 hours during the soft launch", "Order "
                 "tracking", "Orders on time", "≥ 95 %", "97 %.",
                 "Hold two days of stock for the top ten lines."),)),
    ),
    "ci_assess": (
        Belief(OTHER, 4, "Changeovers wait for missing tools", (
            Test("Tool hunting is a third or more of changeover time", "Watch five "
                 "changeovers", "", "", "", ""),)),
        Belief(F, 4, "Every changeover tool fits on one board per line", (
            Test("A cardboard mock-up holds every tool of line 2", "Mock-up", "", "", "",
                 ""),)),
        Belief(D, 3, "Operators keep the boards up to date"),
    ),
    "ci_implement": (
        Belief(OTHER, 5, "Colour coding stops caustic being connected to the rinse line", (
            Test("No wrong connection in a month with colour-coded hoses", "Trial in the "
                 "Wrexham hygiene area", "Wrong connections", "0", "None, against two "
                 "near misses the month before.", "Colour alone works while people are "
                 "new; couplings make it impossible."),)),
        Belief(D, 3, "Hygiene operatives find the colours easy to learn"),
    ),
    "ci_verify": (
        Belief(OTHER, 5, "A two-minute check catches wrong-date labels before the first pallet", (
            Test("The check catches every seeded wrong label", "Ten seeded errors over two "
                 "weeks", "Errors caught", "10 of 10", "10 of 10.",
                 "Check against the production plan, not yesterday's label."),)),
        Belief(D, 3, "Shift managers do the check every shift"),
    ),
    "ci_deployed": (
        Belief(V, 4, "LEDs with motion sensors halve the chill store's lighting energy", (
            Test("Sub-metered lighting energy falls by half", "One aisle converted for a "
                 "month", "kWh a day", "≤ 50 % of before", "38 % of before.",
                 "Motion sensors matter more than the LEDs: people are rarely in there."),)),
        Belief(F, 3, "LEDs work reliably at 1 °C"),
    ),
}

# Per slot: (title, likelihood, impact, treatment, plan, owner: "" = the lead, or a person key).
RISKS: dict[str, tuple[tuple[str, int, int, str, str, str], ...]] = {
    "p_concept": (
        ("Protein claim needs substantiation", 3, 3, "reduce",
         "Lab analysis of the final recipe before any pack copy.", ""),
        ("Lentil prices swing with the harvest", 3, 2, "accept", "", ""),
    ),
    "p_validate": (
        ("Single source for the retort pouch", 4, 4, "transfer",
         "Second pouch supplier qualified; price bands agreed in the supply contract.", ""),
        ("Chiller space in food-to-go is fought over", 4, 3, "reduce",
         "Pitch pouches as the replacement for the slowest soup pots.", ""),
    ),
    "p_develop": (
        ("Seal failures on line 3 after launch", 3, 5, "reduce",
         "Seal-head upgrade and 100 % vision inspection for the first month.", ""),
        ("Council recycling rules change", 2, 3, "accept", "", "manager"),
    ),
    "p_launch": (
        ("The onion-base recipe leaks to a competitor", 2, 5, "reduce",
         "Base made in a restricted room; recipe on a need-to-know list; supplier NDA.", ""),
        ("Lower salt changes what the label may claim", 3, 3, "reduce",
         "Regulatory check of every claim before print.", ""),
    ),
    "p_scale": (
        ("Listing lost at the next range review", 3, 5, "reduce",
         "Quarterly sales story for buyers; promotions agreed a year ahead.", ""),
        ("Mushroom supply in winter", 3, 3, "transfer",
         "Two growers contracted with volume bands.", ""),
    ),
    "p_deployed": (
        ("Fibre lids absorb condensation", 2, 4, "reduce",
         "Barrier coating specified; chiller trial signed off by quality.", ""),
    ),
    "p_stopped": (
        ("No freezer capacity at Leeds", 4, 4, "avoid",
         "Use a co-packer's freezers instead of buying a tunnel.", ""),
    ),
    "pr_diagnose": (
        ("A shorter clean leaves allergen traces", 3, 5, "reduce",
         "Swab validation on ten runs before any change; quality signs off.", ""),
    ),
    "pr_pilot": (
        ("The exchanger contaminates CIP water", 2, 5, "reduce",
         "Double-wall exchanger with a conductivity alarm.", ""),
        ("Refrigeration warranty voided", 3, 3, "reduce",
         "The contractor designs and signs off the connection.", ""),
    ),
    "pr_rollout": (
        ("Too many false alarms and people stop looking", 3, 3, "reduce",
         "Tune thresholds on three months of data before each line goes live.", ""),
        ("Sensor data leaves the site network", 2, 4, "avoid",
         "Edge gateway on site, no cloud connection.", "admin"),
    ),
    "pr_standardise": (
        ("Tablets go down during a shift", 3, 4, "reduce",
         "Paper fallback sheets at each CCP; a spare tablet per line.", ""),
    ),
    "pr_hold": (
        ("The cobot's safety case is not accepted", 3, 5, "reduce",
         "Risk assessment with the integrator and our health and safety advisor.", ""),
        ("Night-shift jobs worry the team", 3, 3, "reduce",
         "Consult the team early; move packers to quality checks.", ""),
    ),
    "bm_explore": (
        ("The NHS framework tender locks us out for two years", 4, 4, "", "", ""),
        ("Hospital kitchens lack chilled storage", 3, 3, "accept", "", ""),
    ),
    "bm_test": (
        ("Couriers damage chilled boxes", 3, 4, "transfer",
         "The courier contract covers spoiled boxes.", ""),
        ("Subscribers cancel after three boxes", 4, 3, "reduce",
         "Recipes rotate every fortnight; a pause option instead of cancelling.", ""),
    ),
    "bm_incubate": (
        ("Caterers resell into retail and undercut us", 3, 5, "reduce",
         "Food-service-only clause; packs carry no retail barcode.", ""),
    ),
    "bm_launch": (
        ("One wholesaler becomes too large a customer", 4, 4, "reduce",
         "Private label capped at 15 % of Leeds volume; a second wholesaler in talks.",
         "manager"),
        ("Private label eats into our own brand", 3, 3, "accept", "", ""),
        ("A product recall under someone else's label", 2, 5, "transfer",
         "Recall costs and insurance set out in the supply agreement.", ""),
    ),
    "ci_assess": (
        ("Boards slow changeovers at first", 2, 2, "accept", "", ""),
    ),
    "ci_implement": (
        ("Hoses swapped between areas", 3, 4, "reduce",
         "Colour-coded couplings that only fit their own line.", ""),
    ),
    "ci_verify": (
        ("The check is skipped on busy shifts", 3, 3, "reduce",
         "The check is built into the line start-up screen.", ""),
    ),
    "ci_deployed": (
        ("LEDs fail in the cold", 1, 2, "accept", "", ""),
    ),
}


def build(ctx: dict) -> dict:
    initiatives = ctx.get("initiatives", {})
    plan = {p.slot: p for p in ctx["pipeline_plan"]}
    built = {"assumptions": 0, "experiments": 0, "risks": 0}
    for slot, initiative in initiatives.items():
        target = plan[slot].target
        counts = _validate(ctx, slot, initiative, target)
        for key, n in counts.items():
            built[key] += n
    return built


def _target_stage(stages: list[Stage], target: str) -> tuple[Stage, bool]:
    """The stage the PLAN leaves the initiative at, and whether it went past it (deployed)."""
    if target == "deployed":
        return stages[-1], True
    key = target.split(":", 1)[-1]
    return next(s for s in stages if s.key == key), False


def _settled_count(beliefs: tuple[Belief, ...], appetite: int) -> int:
    """How many critical assumptions, riskiest first, must be settled for the uncertainty to
    sit within ``appetite``."""
    weights = [b.importance for b in beliefs if b.importance >= Assumption.CRITICAL]
    total = sum(weights)
    for k in range(len(weights) + 1):
        if not total or round(100 * sum(weights[k:]) / total) <= appetite:
            return k
    return len(weights)


def _validate(ctx: dict, slot: str, initiative, target: str) -> dict[str, int]:
    stages = list(initiative.version.stages.order_by("position"))
    stage, past_last = _target_stage(stages, target)
    beliefs = ASSUMPTIONS[slot]
    first = stage.position == 0 and not past_last
    settle_all = past_last or stage.phase in (Stage.Phase.DEVELOP, Stage.Phase.DEPLOY)
    if settle_all:
        settled = len(beliefs)
    elif target.startswith("stop:"):
        settled = 1  # it stopped on what the first experiment found
    else:
        settled = _settled_count(beliefs, stage.risk_appetite)
        if slot == ABOVE_APPETITE:
            settled -= 1
    lead, today = initiative.lead, ctx["today"]
    counts = {"assumptions": 0, "experiments": 0, "risks": 0}
    critical_seen = 0
    for belief in beliefs:
        critical = belief.importance >= Assumption.CRITICAL
        settles = critical and critical_seen < settled
        critical_seen += critical
        if first:
            # Before any experiment: what desk research (data, observation) already supports.
            status, evidence = (("supported", Assumption.Evidence.WEAK) if settles
                                else ("untested", Assumption.Evidence.NONE))
            actions.create_assumption(lead, initiative, statement=belief.statement,
                                      kind=belief.kind, importance=belief.importance,
                                      status=status, evidence=evidence)
            counts["assumptions"] += 1
            continue
        assumption = actions.create_assumption(lead, initiative, statement=belief.statement,
                                               kind=belief.kind, importance=belief.importance)
        counts["assumptions"] += 1
        run = settles or (settle_all and not critical)
        # The next critical assumption in line is being tested now, unless the work has
        # stopped or paused ("stop:…", "hold:…").
        running = not run and critical and critical_seen == settled + 1 and ":" not in target
        for test in belief.tests if run else belief.tests[:1]:
            _experiment(_experimenter(ctx, initiative, belief), initiative, assumption, test,
                        today, counts["experiments"], concluded=run, running=running)
            counts["experiments"] += 1
    for title, likelihood, impact, treatment, plan, owner in RISKS[slot]:
        actions.create_risk(lead, initiative, title=title, likelihood=likelihood, impact=impact,
                            treatment=treatment, treatment_plan=plan,
                            owner=ctx["users"][owner] if owner else lead)
        counts["risks"] += 1
    return counts


def _experimenter(ctx: dict, initiative, belief: Belief):
    """Feasibility tests on an initiative with a partner on its team are run by the partner."""
    partner = ctx["users"].get("partner")
    if belief.kind == F and partner is not None and selectors.is_on_team(partner, initiative):
        return partner
    return initiative.lead


def _experiment(actor, initiative, assumption, test: Test, today, n: int, *, concluded: bool,
                running: bool) -> None:
    """One experiment: concluded ones ran in the past weeks (staggered), the next one is
    running now and later ones are planned."""
    if concluded:
        starts = today - timedelta(days=120 - 6 * n)
        ends = starts + timedelta(days=28)
    elif running:
        starts, ends = today - timedelta(days=10), today + timedelta(days=20)
    else:
        starts, ends = today + timedelta(days=21), today + timedelta(days=50)
    experiment = actions.create_experiment(
        actor, initiative, hypothesis=test.hypothesis, method=test.method, metric=test.metric,
        success_threshold=test.threshold, starts_on=starts, ends_on=ends,
        status=Experiment.Status.RUNNING if running or concluded else Experiment.Status.PLANNED,
        assumptions=[assumption])
    if concluded:
        actions.conclude_experiment(actor, experiment, status=test.outcome, result=test.result,
                                    learning=test.learning)
