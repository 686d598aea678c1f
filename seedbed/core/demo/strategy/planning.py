"""Alder Valley Foods' innovation objectives with their progress, its RACI matrix, and its
actions on risks, opportunities and planned changes (clauses 5.5, 6.1–6.3).

Everything goes through seedbed.strategy.actions.planning, so the audit trail tells the story.
Dates are relative to the day of seeding; the progress history is chosen so that the objectives
show every health: on track, at risk, off track, achieved and not started.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from seedbed import policy
from seedbed.strategy.actions import planning as actions
from seedbed.strategy.models import FocusArea

# (key, title, indicator, unit, baseline, target, start (days from today), due, owner key,
#  focus-area words, description, [(days from today, value, note)])
OBJECTIVES = (
    ("new_products", "Grow revenue from new products",
     "Share of revenue from products launched in the last 3 years", "%", "6", "15", -270, 460,
     policy.LEADER, ("plant", "protein", "meal", "product"),
     "New products keep us relevant to retailers. We count a product as new for three years "
     "after its first delivery.",
     [(-200, "6.8", "Two soups from the winter range."),
      (-120, "8.1", "Vegetable curry range listed at two retailers."),
      (-30, "9.9", "Plant-based lasagne outperforming forecast.")]),
    ("plastic", "Halve plastic in consumer packaging",
     "Tonnes of plastic placed on the market per year (rolling)", "t", "420", "210", -365, 365,
     "priya", ("packag", "plastic", "recycl"),
     "Retail customers' packaging targets and the extended producer responsibility fees both "
     "point the same way.",
     [(-300, "405", "Lighter soup pots on line 2."),
      (-180, "380", "Sleeve removed from the sauce range."),
      (-45, "352", "Mono-material tray trial delayed by seal failures at high speed.")]),
    ("energy", "Cut energy per tonne at Leeds",
     "Electricity and gas per tonne produced", "kWh/t", "310", "250", -400, 150,
     "irene", ("energy", "carbon", "climate", "net zero"),
     "Energy is our third-largest cost. Most of the gain is expected from refrigeration and "
     "steam.",
     [(-330, "305", "Compressed-air leaks fixed."),
      (-200, "301", ""),
      (-60, "298", "Heat-recovery project not yet approved; little else left to gain.")]),
    ("shop_floor_ideas", "More ideas from the shop floor",
     "Ideas submitted by production and logistics staff per quarter", "ideas", "40", "120",
     -180, 185, "gareth", ("waste", "efficien", "automation", "line"),
     "Small improvements count. Every shift team should see its ideas go somewhere.",
     [(-120, "52", "Challenge on changeovers opened."),
      (-60, "75", ""),
      (-10, "96", "Wrexham joined the monthly idea huddles.")]),
    ("launch_speed", "Shorten concept-to-launch time",
     "Median weeks from approved concept to first delivery", "weeks", "38", "26", -500, -20,
     policy.MANAGER, ("product", "meal", "digital"),
     "Retailers plan ranges twice a year; missing a window costs six months.",
     [(-400, "36", ""),
      (-200, "31", "Stage gates merged for line extensions."),
      (-40, "25.5", "Target reached: shelf-life testing now runs in parallel.")]),
    ("training", "Train people in innovation methods",
     "Employees who completed the innovation methods course", "people", "0", "60", 30, 300,
     "lucy", ("culture", "skill", "people"),
     "Starts with the new course in the spring; the first cohort is the shift managers.",
     []),
)

# (process, [(role or person key, letter)]): role codes are policy roles; others are people.
RACI = (
    ("Set innovation strategy", [(policy.LEADER, "A"), (policy.MANAGER, "R"), ("claire", "C"),
                                 (policy.CONTRIBUTOR, "I")]),
    ("Run challenges", [(policy.MANAGER, "A"), (policy.MANAGER, "R"), (policy.EVALUATOR, "C"),
                        (policy.CONTRIBUTOR, "I")]),
    ("Evaluate ideas", [(policy.MANAGER, "A"), (policy.EVALUATOR, "R"), (policy.LEADER, "I")]),
    ("Decide gates", [(policy.LEADER, "A"), (policy.MANAGER, "R"), ("tom", "C"),
                      (policy.EVALUATOR, "C")]),
    ("Allocate budget", [("tom", "A"), (policy.MANAGER, "R"), (policy.LEADER, "C")]),
    ("Internal audit", [(policy.LEADER, "A"), (policy.AUDITOR, "R"), (policy.MANAGER, "C")]),
    ("Management review", [(policy.LEADER, "A"), (policy.MANAGER, "R"), ("claire", "C"),
                           (policy.CONTRIBUTOR, "I")]),
)

# (title, kind, owner key, due (days from today), status path, focus-area words, objective key,
#  description)
ACTION_ITEMS = (
    ("Qualify a second supplier for compostable lidding film", "risk", "paul", 60,
     ["in_progress"], ("packag", "plastic", "recycl"), "plastic",
     "Only one supplier can deliver the film today; a shortage would stop the soup lines."),
    ("Concept test plant-based ready meals with 200 shoppers", "opportunity", "nadia", 45, [],
     ("plant", "protein", "meal"), "new_products",
     "Three concepts, online panel plus two in-store tastings."),
    ("Add a gate review slot to the monthly operations meeting", "change", policy.MANAGER, -10,
     [], (), "launch_speed",
     "Gate decisions wait up to six weeks for a leadership slot. **Overdue**: the agenda "
     "change needs the operations director's sign-off."),
    ("Protect the new sauce process as a trade secret", "risk", "priya", 90, [],
     ("plant", "product", "meal"), "new_products",
     "Restrict the process sheet, add confidentiality clauses for the co-packer."),
    ("Pilot heat recovery on the Leeds refrigeration plant", "opportunity", "liam", 120,
     ["in_progress"], ("energy", "carbon", "climate"), "energy",
     "Payback estimated at 2.5 years; pilot on one compressor first."),
    ("Put the innovation policy into the induction pack", "change", "lucy", -30,
     ["in_progress", "done"], ("culture", "people"), "training",
     "New starters read and acknowledge the policy in their first week."),
    ("Run idea huddles at Wrexham on every shift", "opportunity", "gareth", 20, ["cancelled"],
     ("waste", "efficien", "line"), "shop_floor_ideas",
     "Cancelled: replaced by the site-wide monthly huddle, which staff preferred."),
)


def _active_focus_areas(ctx: dict) -> list[FocusArea]:
    found = ctx.get("focus_areas", {})
    areas = found.values() if isinstance(found, dict) else found
    return [fa for fa in areas if getattr(fa, "status", None) == FocusArea.Status.ACTIVE]


def _matching(areas: list[FocusArea], words: tuple[str, ...]) -> list[FocusArea]:
    return [fa for fa in areas if any(w in fa.title.lower() for w in words)]


def build(ctx: dict) -> None:
    users, today = ctx["users"], ctx["today"]
    manager = users[policy.MANAGER]
    areas = _active_focus_areas(ctx)

    def day(offset: int):
        return today + timedelta(days=offset)

    objectives = {}
    for (key, title, indicator, unit, baseline, target, start, due, owner_key, words,
         description, updates) in OBJECTIVES:
        owner = users[owner_key]
        objective = actions.create_objective(
            manager, title=title, description=description, indicator=indicator, unit=unit,
            baseline=Decimal(baseline), target=Decimal(target), start_on=day(start),
            due_on=day(due), owner=owner, focus_areas=_matching(areas, words)[:2])
        for offset, value, note in updates:
            # The owner reports progress on their own objective (or the manager on theirs).
            actions.record_progress(owner, objective, value=Decimal(value), as_of=day(offset),
                                    note=note, today=today)
        objectives[key] = objective
    ctx["objectives"] = objectives

    for process, cells in RACI:
        for who, letter in cells:
            if who in policy.ROLES:
                actions.add_raci_assignment(manager, process=process, role=who, letter=letter)
            else:
                actions.add_raci_assignment(manager, process=process, person=users[who],
                                            letter=letter)

    items = []
    for title, kind, owner_key, due, path, words, objective_key, description in ACTION_ITEMS:
        matches = _matching(areas, words) if words else []
        item = actions.create_action_item(
            manager, title=title, kind=kind, owner=users[owner_key], due_on=day(due),
            description=description, focus_area=matches[0] if matches else None,
            objective=objectives[objective_key])
        for status in path:
            item = actions.set_action_item_status(manager, item, status)
        items.append(item)
    ctx["action_items"] = items
