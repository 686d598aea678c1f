"""Alder Valley Foods' focus areas — the opportunities and threats its innovation intent asks
ideas for — and three proposals from employees, one still waiting, one accepted, one declined
with a reason: the feedback loop at work."""

from __future__ import annotations

from seedbed import policy
from seedbed.strategy.actions import focus as actions

# key, title, kind, horizon, priority (1 high … 3 low), owner key, context issue keys,
# interested party keys, why it matters (Markdown)
FOCUS_AREAS = (
    ("plant_meals", "Plant-based and high-protein ready meals", "opportunity", "h2", 1, "nadia",
     ("diets", "retail"), ("shoppers", "retailers"),
     "Flexitarian shoppers are the fastest-growing group in chilled ready meals, and retailers "
     "want suppliers who can lead the category.\n\n- vegetable-led meals with a protein claim\n"
     "- no premium price: **families first**"),
    ("packaging", "Recyclable, plastic-light packaging", "threat", "h1", 1, "priya",
     ("packaging", "climate"), ("retailers", "shoppers", "regulators"),
     "Packaging fees and retailer policies penalise black trays and mixed films. Without "
     "recyclable formats we pay more and risk delisting."),
    ("energy", "Energy and carbon cost of keeping food cold", "threat", "h1", 1, "irene",
     ("climate", "energy_cost"), ("board", "retailers"),
     "Refrigeration is our largest energy load and retailers now ask for carbon plans. Every "
     "kWh saved is margin and evidence for our net zero commitments."),
    ("automation", "Line automation for hard-to-staff shifts", "opportunity", "h1", 2,
     "stefan", ("automation", "skills"), ("employees", "board"),
     "End-of-line automation and vision checks would take the most repetitive, hardest-to-staff "
     "jobs off the night shift — with the people who do them today shaping how."),
    ("hfss", "Healthier recipes within the HFSS rules", "threat", "h1", 1, policy.EVALUATOR,
     ("hfss",), ("retailers", "shoppers", "regulators"),
     "Eight products lose prominent placement unless reformulated. Less salt, sugar and fat "
     "**without losing taste** protects listings and serves shoppers."),
    ("retailer_dependence", "Less dependence on four retail customers", "threat", "h2", 2,
     "sam", ("retail",), ("board", "retailers"),
     "82% of volume goes to four buyers. New channels (food service, convenience) and "
     "branded lines would spread the risk."),
    ("direct", "Direct-to-consumer meal subscriptions", "opportunity", "h3", 3, "ellie",
     ("diets", "capability"), ("shoppers",),
     "A small direct channel would teach us subscription economics and give us first-hand "
     "shopper data. Uncertain: test cheaply before investing."),
    ("skills_culture", "Skills and an everyday innovation culture", "opportunity", "h2", 2,
     "lucy", ("skills", "capability", "mission"), ("employees",),
     "People who can run experiments and speak up with ideas are what turns this strategy "
     "into results, and they make us a better place to work."),
)


def build(ctx: dict) -> None:
    users = ctx["users"]
    manager = users[policy.MANAGER]
    issues, parties = ctx["context_issues"], ctx["interested_parties"]
    areas = {}
    for (key, title, kind, horizon, priority, owner, issue_keys, party_keys,
         rationale) in FOCUS_AREAS:
        areas[key] = actions.create_focus_area(
            manager, title=title, kind=kind, horizon=horizon, priority=priority,
            rationale=rationale, owner=users[owner],
            context_issues=[issues[k] for k in issue_keys],
            interested_parties=[parties[k] for k in party_keys])

    # The feedback loop: employees propose, the innovation manager decides and says why.
    accepted = actions.propose_focus_area(
        users["ben"], title="Chilled meals for hospital and care-home catering",
        kind="opportunity", context_issues=[issues["retail"], issues["diets"]],
        interested_parties=[parties["board"]],
        rationale="Care caterers ask us for texture-modified and portion-controlled chilled "
                  "meals. It is a market our retail customers do not control.")
    areas["care_catering"] = actions.accept_proposal(
        manager, accepted, owner=users["sam"], horizon="h2", priority=2,
        reason="Accepted: it answers our dependence on retailers. Sam will own it with you.")
    declined = actions.propose_focus_area(
        users["kasia"], title="Sell soup by the bowl at the factory gate", kind="opportunity",
        rationale="Staff and neighbours ask to buy soup from the Leeds site.")
    actions.decline_proposal(
        manager, declined,
        reason="Thank you, Kasia. Retail catering is outside our intent and we have no food-"
               "service licence at the plant. Direct sales are explored under the "
               "*Direct-to-consumer meal subscriptions* focus area; please add your idea to "
               "its challenge.")
    actions.propose_focus_area(
        users["olu"], title="Upcycle vegetable trimmings into stocks and sauces",
        kind="opportunity", interested_parties=[parties["communities"]],
        context_issues=[issues["climate"]],
        rationale="We send about 40 tonnes of clean vegetable trimmings to anaerobic digestion "
                  "every month. Some could become stock bases for our own sauces.")
    ctx["focus_areas"] = areas
