"""Alder Valley Foods' context register: the issues (clause 4.1) and interested parties (4.2)
its innovation intent answers. Written by the innovation manager through the actions."""

from __future__ import annotations

from datetime import timedelta

from seedbed import policy
from seedbed.strategy.actions import context as actions

# key, title, category, impact, trend, source, review (days from today; negative = overdue),
# description (Markdown)
ISSUES = (
    ("climate", "Climate and energy regulation tightening", "environmental", "high", "growing",
     "UK net zero commitments; Climate Change Levy; retailer science-based targets", 150,
     "Our retail customers have committed to net zero and now ask suppliers for **scope 1 and 2 "
     "reduction plans** and product carbon footprints. Energy taxes and reporting duties keep "
     "rising. Refrigeration and cooking are 70% of our site energy."),
    ("energy_cost", "Volatile electricity and gas prices", "economic", "high", "growing",
     "Finance energy cost review, last two winters", 60,
     "Energy went from 3% to 7% of cost of goods in two years. Chilled products cannot be "
     "switched off: every hour of cold store and blast chilling is paid at peak rates."),
    ("retail", "Retailer consolidation and buying power", "economic", "high", "growing",
     "Grocery market share data; Commercial team account plans", 90,
     "Four retailers now buy 82% of our volume. Range reviews are shorter and cost-price "
     "increases harder to land; own-label tenders are decided on price and innovation pipeline."),
    ("hfss", "HFSS promotion and placement rules", "legal", "high", "stable",
     "Food (Promotion and Placement) (England) Regulations 2021", -20,
     "Products high in fat, sugar or salt lose prominent placement in store and online. Six "
     "of our sauces and two soups are in scope; reformulating them protects their listings."),
    ("packaging", "Extended producer responsibility for packaging", "legal", "high", "growing",
     "UK packaging EPR; retailer packaging policies", 120,
     "Packaging fees now depend on how much we place on the market and how recyclable it is. "
     "Black plastic trays and multi-material films cost us the most."),
    ("automation", "Affordable automation and vision inspection", "technological", "medium",
     "growing", "PPMA show 2025; Engineering site visits", 200,
     "Robotic case packing and camera label checks have come down in price and now fit short "
     "runs. Competitors have automated their end-of-line."),
    ("skills", "Skills shortage in food manufacturing", "social", "high", "growing",
     "People & Culture vacancy report", -5,
     "Engineering and night-shift roles take four months to fill. Agency use on the soup lines "
     "is at 30% in peak season."),
    ("diets", "Shift to plant-based and high-protein eating", "social", "medium", "growing",
     "Consumer Insight panel, quarterly tracker", 180,
     "A third of our shoppers call themselves flexitarian; protein claims and vegetable-led "
     "meals are growing fastest in chilled ready meals."),
    ("mission", "Our mission: good chilled food, made well, for everyone", "internal", "medium",
     "stable", "Board strategy day", 365,
     "We make fresh food people trust at a price families can afford, and we look after the "
     "people and places that make it. Innovation must serve all three."),
    ("capability", "Development capability is mostly recipe iteration", "internal", "medium",
     "stable", "Innovation self-assessment", 100,
     "We are fast at new recipes but have little experience with new formats, channels or "
     "business models, and no routine for testing ideas with shoppers before launch."),
)

# key, name, importance, review (days), needs, expectations
PARTIES = (
    ("retailers", "Major UK grocery retailers", "high", 90,
     "Reliable supply, competitive cost price, products that grow the category.",
     "A **pipeline of differentiated products** each range review; credible carbon and "
     "packaging plans; full compliance with HFSS rules."),
    ("shoppers", "Shoppers and consumers", "high", 180,
     "Tasty, fresh food that is good value and fits busy weeks.",
     "Healthier options without losing taste; less plastic; honest labels."),
    ("employees", "Shop-floor and office employees", "high", 120,
     "Safe, steady work; recognition; a say in how the work is done.",
     "Be asked before lines change; see their ideas taken seriously and followed up."),
    ("board", "Owners and board", "high", 365,
     "Profitable growth and a resilient business.",
     "Innovation that pays back within three years and reduces dependence on a few customers."),
    ("suppliers", "Ingredient and packaging suppliers", "medium", 200,
     "Forecasts they can plan on; fair terms.",
     "Early involvement in new products and packaging trials."),
    ("regulators", "Regulators (FSA, Environment Agency, local authorities)", "medium", -10,
     "Safe food, accurate labels, permitted emissions and waste handling.",
     "Evidence that changes to recipes, processes and packaging are controlled."),
    ("communities", "Communities around Leeds and Wrexham", "low", 365,
     "Local jobs, little noise and traffic, a good neighbour.",
     "Apprenticeships and support for local food banks."),
)


def build(ctx: dict) -> None:
    manager, today = ctx["users"][policy.MANAGER], ctx["today"]
    ctx["context_issues"] = {
        key: actions.create_context_issue(
            manager, title=title, category=category, impact=impact, trend=trend,
            source=source, review_on=today + timedelta(days=review), description=description)
        for key, title, category, impact, trend, source, review, description in ISSUES}
    ctx["interested_parties"] = {
        key: actions.create_interested_party(
            manager, name=name, importance=importance, review_on=today + timedelta(days=review),
            needs=needs, expectations=expectations)
        for key, name, importance, review, needs, expectations in PARTIES}
