"""Demo pipeline: evaluation — two or three internal experts score most initiatives of the
PLAN at their first stage (before ``gates`` walks them on), and the packaging challenge gets a
scorecard with two of its ideas scored, so both comparisons have something to show.

Everything goes through the evaluation actions. Evaluators come from the demo's experts; anyone
the system finds conflicted (an author, the lead, a team member) is passed over for the next
expert of the pool, exactly as the rules would refuse them. The stories the numbers tell:

- most reviews agree closely (high r_wg);
- ``bm_test`` (a direct-to-consumer subscription) splits the panel: finance and sustainability
  see no margin and too many courier miles, the food technologist sees an easy product: low
  agreement;
- on ``p_concept`` the third evaluator has not submitted yet;
- on ``bm_explore`` one evaluator declares a conflict of interest instead of scoring.
"""

from __future__ import annotations

from dataclasses import dataclass

from seedbed import policy
from seedbed.ideas.models import Idea
from seedbed.ideas.selectors import visible_ideas
from seedbed.pipeline.actions import evaluation as actions
from seedbed.pipeline.selectors import evaluation as reads

# The demo's internal experts, in the order they are asked when a preferred one is conflicted.
POOL = (policy.EVALUATOR, "aisha", "femi", "irene", "paul", "gareth", "liam", "priya")
# How each evaluator's scores sit around a review's consensus, criterion by criterion.
CLOSE = ((0, 0, 0, 0, 0), (0, 1, 0, 0, -1), (-1, 0, 0, 1, 0))
SPLIT = ((-2, -2, -1, 2, 2), (2, 2, 1, -2, -2), (-1, -1, 1, 1, 0))


@dataclass(frozen=True)
class Review:
    slot: str
    size: int  # how many evaluators
    # The consensus per criterion, in scorecard order: strategic fit, value potential,
    # feasibility, risk, effort (higher is worse for the last two); or benefit, ease.
    scores: tuple[int, ...]
    # (expert, what they would write), in order of preference; the first ``size`` who are
    # free to evaluate are asked (alternates follow), then the pool, without a comment.
    panel: tuple[tuple[str, str], ...]
    split: bool = False  # the evaluators disagree
    pending: int = 0  # the last this many have not submitted yet
    conflict: str = ""  # the last evaluator declares this conflict instead of scoring


E = policy.EVALUATOR
REVIEWS = (
    Review("p_concept", 3, (4, 4, 3, 3, 3), (
        ("femi", "Works at £3.50 retail if the grains are bought with the soup pulses; "
                 "co-packing the bowls would eat the margin."),
        ("aisha", "Cooked grains are a listeria risk at day five: the shelf-life study must "
                  "come before any retailer tasting."),
        ("irene", "Plant protein is where our retailers' own targets are heading."),
        (E, "Protein claim is credible with the lentil and quinoa mix; texture after day "
            "five is the thing to test with the sensory panel.")), pending=1),
    Review("p_validate", 3, (4, 4, 4, 2, 2), (
        (E, "Pouch retort trials at Leeds are routine for us; shelf life is not the risk, "
            "shoppers finding it in food-to-go is."),
        ("paul", "Two pouch suppliers can run 300 g formats; lead times are fine."),
        ("femi", "Volume case is thin until a retailer lists it, but the line cost is low."),
        ("aisha", "Microwave instructions need validating for 650 W and 900 W ovens."))),
    Review("p_develop", 3, (5, 4, 3, 3, 3), (
        ("aisha", "Seal integrity on mono-PP needs the full validation protocol before any "
                  "change."),
        ("irene", "Directly serves the 2028 plastic target and lowers our EPR fees."),
        ("paul", "Kestrel can supply, but a second source should be qualified before launch."),
        ("femi", "Tray cost is flat; the EPR fee saving is the real money."))),
    Review("p_launch", 2, (5, 5, 4, 2, 2), (
        ("aisha", "Fermented onion base passed the microbiology challenge tests; "
                  "allergen-free."),
        ("femi", "Best margin of the range; the reformulation cost is already spent."),
        ("paul", "The onion base has one supplier: we need a backup before scaling."))),
    Review("p_scale", 3, (4, 5, 4, 2, 3), (
        ("femi", "Retail listing at three chains would pay back the line changes within a "
                 "year."),
        ("paul", "Mushroom supply is seasonal; a frozen-diced option keeps the line running."),
        ("aisha", "Allergen labelling is simpler than the beef version: no celery in the "
                  "sauce."),
        (E, "Panel scores beat the beef lasagne on texture; browning on the top layer "
            "varies."))),
    Review("p_deployed", 3, (5, 3, 4, 2, 2), (
        ("irene", "Removes about 38 tonnes of plastic a year; customers notice and like it."),
        ("aisha", "Fibre lids need a grease barrier; the supplier's is PFAS-free, which we "
                  "verified."),
        ("paul", "Price per lid is 1.2p higher; the EPR saving covers most of it."))),
    Review("p_stopped", 3, (2, 3, 3, 4, 4), (
        (E, "Frozen is outside what our plants do well; we would be learning a new "
            "category."),
        ("femi", "Home-blender smoothies are a crowded shelf; the price point is the "
                 "problem."),
        ("paul", "We would need a frozen co-packer; none near Leeds has spare capacity."))),
    Review("pr_diagnose", 2, (5, 3, 3, 3, 2), (
        ("aisha", "Any shorter clean must keep the allergen swab results; worth measuring "
                  "first."),
        ("gareth", "Ninety minutes a day on line 2 is real capacity if we get a third back."),
        (E, "A validated clean for each allergen pair would let us skip the full clean "
            "between compatible runs."))),
    Review("pr_pilot", 3, (5, 4, 4, 2, 3), (
        ("gareth", "Wrexham has the same chiller plant: if Leeds works we copy it."),
        ("irene", "Cuts gas for CIP water heating by about a fifth; good for the energy "
                  "objective."),
        ("femi", "Payback under two years at current gas prices."))),
    Review("pr_rollout", 2, (4, 4, 4, 2, 3), (
        ("gareth", "The filler bearings are our most common unplanned stop; sensors are cheap "
                   "now."),
        ("femi", "One avoided breakdown a quarter pays for the sensors on both lines."))),
    Review("pr_standardise", 2, (5, 3, 5, 1, 2), (
        ("aisha", "Auditors will like the time-stamped CCP records; alerts close a real gap."),
        ("liam", "Tablets and Wi-Fi are already on the floor; little to install."),
        (E, "Metal-detector checks should go on the tablets too, not just temperatures."))),
    Review("pr_hold", 3, (3, 3, 3, 3, 4), (
        ("liam", "The cobot can pack jars, but the night-shift case mix changes too often."),
        ("femi", "Payback is over four years at our volumes; hard to justify this year."),
        ("gareth", "Worth revisiting when the new jar line comes in."))),
    Review("bm_explore", 3, (4, 5, 2, 4, 4), (
        ("femi", "A contract with two trusts would be a steady base load; tendering takes a "
                 "year."),
        ("aisha", "Patient meals need texture-modified options and stricter allergen "
                  "control."),
        ("paul", "")),
        conflict="My brother-in-law's company supplies patient meals to two NHS trusts in "
                 "the region; I should not judge this."),
    Review("bm_test", 3, (3, 3, 3, 3, 3), (
        ("femi", "Customer acquisition costs in soup boxes are brutal; I do not see the "
                 "margin."),
        (E, "Our soups travel well chilled for three days; the product side is easy."),
        ("irene", "Insulated boxes and courier miles make this hard to square with our "
                  "targets.")), split=True),
    Review("bm_incubate", 2, (4, 3, 5, 2, 1), (
        ("paul", "Two caterers already buy short-dated stock from our competitors."),
        ("irene", "Every tonne sold instead of written off counts twice: margin and waste."),
        ("femi", "Even at half price the short-dated runs beat the disposal cost."))),
    Review("bm_launch", 2, (4, 5, 4, 3, 3), (
        ("femi", "Private label dilutes our brand margin but fills the Wrexham line."),
        ("paul", "The wholesaler's specification is close to ours; few changes needed."))),
    Review("ci_assess", 2, (4, 5), (
        ("gareth", "Cheap, visible and the team wants it."),
        ("aisha", "Shadow boards also help the hygiene checks between shifts."))),
    Review("ci_deployed", 2, (4, 4), (
        ("irene", "LEDs with motion sensors in a chill store are a textbook energy win."),
        ("gareth", "Fewer lamp changes in the cold; maintenance is for it."))),
)

# The packaging challenge's scorecard: two of its ideas, each given to three experts (consensus,
# panel, how many have not submitted yet). The demo evaluator account still has the second
# one to score, so "My evaluations" shows something waiting.
CHALLENGE_KEY = "packaging"
CHALLENGE_REVIEWS = (
    ((4, 4, 4, 2, 2), (
        ("priya", "A quick trial on one line would settle it."),
        ("irene", "Fits the 2028 plastic target well."),
        ("aisha", "No food-contact concerns with the proposed material."),
        (E, "Check the tray still browns the lasagne top in the oven.")), 0),
    ((3, 4, 2, 3, 4), (
        ("priya", "Promising, but the tooling change is not small."),
        ("irene", "Big plastic saving if it works."),
        (E, "Consumers may miss the resealable option for leftovers."),
        ("aisha", "Shelf-life trials needed before any retailer sees it.")), 1),
)


def _sheet(keys: list[str], consensus: tuple[int, ...], offsets: tuple[int, ...],
           low: int, high: int) -> dict[str, int]:
    return {key: min(high, max(low, base + shift))
            for key, base, shift in zip(keys, consensus, offsets, strict=False)}


def _choose(ctx: dict, subject, panel: tuple[tuple[str, str], ...],
            size: int) -> list[tuple]:
    """``size`` (expert, comment) pairs for ``subject``: the panel's first, then the pool
    (without a comment), never one the system would refuse (conflicted, or unable to see an
    idea)."""
    users = ctx["users"]
    conflicted = reads.conflicts_of(subject)
    chosen: list[tuple] = []
    for key, comment in (*panel, *((key, "") for key in POOL)):
        person = users.get(key)
        if person is None or person.pk in conflicted or any(p == person for p, _ in chosen):
            continue
        if isinstance(subject, Idea) and not visible_ideas(person).filter(
                pk=subject.pk).exists():
            continue
        chosen.append((person, comment))
        if len(chosen) == size:
            break
    return chosen


def _assign_and_score(ctx: dict, subject, consensus: tuple[int, ...], chosen: list[tuple], *,
                      split: bool = False, waiting: int = 0) -> list:
    """Assign the chosen experts; all but the last ``waiting`` submit their scores around the
    consensus, with their comment. Returns the evaluations."""
    manager = ctx["users"][policy.MANAGER]
    evaluations = actions.assign_evaluators(manager, subject, [p for p, _ in chosen])
    criteria = list(reads.scorecard_for(subject).criteria.all())
    keys = [c.key for c in criteria]
    low, high = criteria[0].min_score, criteria[0].max_score
    pattern = SPLIT if split else CLOSE
    for position, (evaluation, (_, comment)) in enumerate(
            zip(evaluations[:len(evaluations) - waiting], chosen, strict=False)):
        actions.submit_evaluation(
            evaluation.evaluator, evaluation,
            scores=_sheet(keys, consensus, pattern[position % len(pattern)], low, high),
            comment=comment)
    return evaluations


def _review(ctx: dict, review: Review) -> dict[str, int]:
    initiative = ctx["initiatives"][review.slot]
    chosen = _choose(ctx, initiative, review.panel, review.size)
    waiting = review.pending + (1 if review.conflict else 0)
    evaluations = _assign_and_score(ctx, initiative, review.scores, chosen,
                                    split=review.split, waiting=waiting)
    if review.conflict:
        last = evaluations[-1]
        actions.declare_conflict(last.evaluator, last, note=review.conflict)
    return {"assigned": len(evaluations), "submitted": len(evaluations) - waiting}


def _challenge_scorecard(ctx: dict) -> dict[str, int]:
    """A scorecard for the packaging challenge and two of its ideas scored on it."""
    challenge = ctx.get("challenges", {}).get(CHALLENGE_KEY)
    if challenge is None:
        return {"ideas_scored": 0}
    actions.create_challenge_scorecard(ctx["users"][policy.MANAGER], challenge,
                                       name="Packaging ideas scorecard", blind=True,
                                       standard=True)
    ideas = list(Idea.objects.filter(challenge=challenge, status__in=actions.EVALUABLE_IDEAS,
                                     initiative_link__isnull=True, confidential=False)
                 .order_by("-vote_count", "id")[:len(CHALLENGE_REVIEWS)])
    for idea, (consensus, panel, waiting) in zip(ideas, CHALLENGE_REVIEWS, strict=False):
        _assign_and_score(ctx, idea, consensus, _choose(ctx, idea, panel, 3), waiting=waiting)
    return {"ideas_scored": len(ideas)}


def build(ctx: dict) -> dict:
    counts = {"assigned": 0, "submitted": 0}
    for review in REVIEWS:
        for key, n in _review(ctx, review).items():
            counts[key] += n
    counts.update(_challenge_scorecard(ctx))
    return counts
