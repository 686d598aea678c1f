"""Alder Valley Foods' resources for innovation (clause 7.1: budget envelopes, time
allowances) and competence (7.2: the competencies the strategy needs, training records).

Everything goes through seedbed.strategy.actions.resources, so the audit trail tells the story.
Committed and spent stay at zero: the initiative pipeline fills them in later.
"""

from __future__ import annotations

from datetime import date, timedelta

from seedbed import policy
from seedbed.strategy.actions import resources as actions

# (org unit, allocated in GBP, note)
BUDGETS = (
    ("Product Development", "180000", "Concept kitchen, consumer tests and pilot runs"),
    ("Packaging Technology", "95000", "Mono-material tray trials and shelf-life testing"),
    ("Engineering & Maintenance", "120000", "Energy and automation pilots on both sites"),
    ("Leeds Plant", "60000", "Continuous-improvement fund for the shift teams"),
    ("Wrexham Plant", "45000", "Continuous-improvement fund for the shift teams"),
    ("Marketing & Consumer Insight", "40000", "Concept tests with shoppers"),
)

# (org unit, percent of working time, how it is taken)
TIME_ALLOWANCES = (
    ("Product Development", "10", "Half a day a week for experiments outside the range plan"),
    ("Packaging Technology", "10", "Half a day a week, pooled into trial weeks with Kestrel"),
    ("Leeds Plant", "5", "One shift a month per team for improvement work, covered by relief"),
    ("Wrexham Plant", "5", "One shift a month per team for improvement work, covered by relief"),
    ("Engineering & Maintenance", "5", "Two days a month for the energy and automation pilots"),
)

# (competency, people needed, why the strategy needs it)
REQUIRED = (
    ("Design thinking", 6,
     "Every department should have someone who can frame a problem and run a quick test."),
    ("Packaging engineering", 4,
     "Halving plastic needs trials running on two lines at once."),
    ("Consumer research", 3, "Every new-product concept is tested with shoppers before a pilot."),
    ("Data analysis", 4, "Objectives and experiments are judged on data, not opinion."),
    ("Intellectual property", 2,
     "Joint development with partners needs someone who can read IP terms."),
    ("Energy management", 3, "The energy objective rests on refrigeration and steam projects."),
    ("Sensory science", 2, "Recipes reformulated for salt and sugar must still win on taste."),
)

# (person key, title, provider, competency or None, days ago, hours)
TRAINING = (
    ("ben", "Design sprint facilitation", "Northern Innovation Academy", "Design thinking", 240,
     "16"),
    ("nadia", "Design sprint facilitation", "Northern Innovation Academy", "Design thinking",
     240, "16"),
    (policy.CONTRIBUTOR, "Testing ideas cheaply: an introduction", "In-house (Hannah Lindqvist)",
     "Design thinking", 75, "3"),
    ("priya", "IP essentials for R&D teams", "Pennine University Business School",
     "Intellectual property", 190, "7"),
    ("chloe", "Leading a sensory panel", "Harrowgate Food Training", "Sensory science", 130,
     "14"),
    ("ahmed", "Dashboards for operations data", "Harrowgate Food Training", "Data analysis",
     300, "14"),
    ("marcus", "Statistics for process data", "Pennine University Business School",
     "Data analysis", 95, "12"),
    ("irene", "Energy management systems lead practitioner", "Voltwise Energy",
     "Energy management", 160, "21"),
    ("stefan", "Value-stream mapping", "In-house (Claire Whitfield)", "Lean manufacturing", 55,
     "7.5"),
    ("lucy", "Change management foundation", "Northern Innovation Academy",
     "Change management", 210, "14"),
    ("priya", "Recyclability by design for trays and films", "Kestrel Packaging Ltd",
     "Packaging engineering", 20, "6"),
)


def build(ctx: dict) -> None:
    users, units, competencies = ctx["users"], ctx["units"], ctx["competencies"]
    today: date = ctx["today"]
    manager = users[policy.MANAGER]
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    for unit, allocated, note in BUDGETS:
        actions.create_budget_envelope(manager, org_unit=units[unit], period_start=start,
                                       period_end=end, allocated=allocated, currency="GBP",
                                       note=note)
    for unit, percent, description in TIME_ALLOWANCES:
        actions.create_time_allowance(manager, org_unit=units[unit], percent_of_time=percent,
                                      period_start=start, period_end=end,
                                      description=description)
    for name, needed, rationale in REQUIRED:
        actions.require_competency(manager, competency=competencies[name],
                                   people_needed=needed, rationale=rationale)
    for key, title, provider, competency, days_ago, hours in TRAINING:
        actions.record_training(manager, person=users[key], title=title, provider=provider,
                                competency=competencies[competency] if competency else None,
                                completed_on=today - timedelta(days=days_ago), hours=hours)
