"""The demo organisation's pipeline: initiatives in every stage of every seeded template,
including one on hold, one stopped with learnings and deployed ones with measured value.

``PLAN`` is the one list every area module reads: ``initiatives`` creates one initiative per row
(ctx["initiatives"][slot]); the validation, evaluation and resource modules give them records;
``gates`` walks each to its target through real gate decisions; ``value`` measures the deployed
ones; ``portfolio`` keeps the portfolio criteria. Order matters.
"""

from __future__ import annotations

from dataclasses import dataclass

from seedbed.core.demo.pipeline import (
    evaluation,
    gates,
    initiatives,
    portfolio,
    resources,
    templates_demo,
    validation,
    value,
)


@dataclass(frozen=True)
class Planned:
    slot: str
    template: str  # workflow template code
    # Where it ends up: a stage key (active there), "hold:<stage>", "stop:<stage>", "deployed".
    target: str
    title: str
    pitch: str  # the idea's description (Markdown)
    author: str  # demo person key who had the idea
    lead: str  # demo person key
    unit: str  # org unit name (budget envelope and balance views)
    focus_area: str  # key of ctx["focus_areas"]
    objectives: tuple[str, ...]  # keys of ctx["objectives"]
    horizon: str = "h1"
    confidential: bool = False
    partner: str = ""  # a partner organisation name whose people join the team


PLAN = (
    # Product or service: concept → validate → develop → launch → scale.
    Planned("p_concept", "product", "concept", "Chilled high-protein lentil bowls",
            "Ready-to-eat lentil and grain bowls with 25 g protein, for the lunch aisle.",
            "chloe", "ben", "Product Development", "plant_meals", ("new_products",), "h2"),
    Planned("p_validate", "product", "validate", "Soup pouches for food-to-go",
            "Microwaveable 300 g soup pouches sold chilled next to sandwiches.",
            "nadia", "nadia", "Marketing & Consumer Insight", "plant_meals",
            ("new_products", "launch_speed"), "h2"),
    Planned("p_develop", "product", "develop", "Mono-material recyclable soup trays",
            "Replace the PET/PE laminate trays with a single-polymer tray that kerbside "
            "recycling accepts.", "priya", "priya", "Packaging Technology", "packaging",
            ("plastic",), "h1", partner="Kestrel Packaging Ltd"),
    Planned("p_launch", "product", "launch", "Reduced-salt gravy range",
            "A gravy range with 30 % less salt using a **fermented onion base**; recipe is "
            "IP-sensitive.", "ben", "ben", "Product Development", "hfss", ("new_products",),
            "h1", confidential=True),
    Planned("p_scale", "product", "scale", "Plant-based lasagne for retail",
            "A lentil-and-mushroom lasagne for the chilled ready-meal fixture.",
            "chloe", "ben", "Product Development", "plant_meals", ("new_products",), "h2"),
    Planned("p_deployed", "product", "deployed", "Paper-based soup cup lids",
            "Swap the clear plastic lids on soup cups for moulded fibre lids.",
            "priya", "priya", "Packaging Technology", "packaging", ("plastic",), "h1"),
    Planned("p_stopped", "product", "stop:validate", "Frozen smoothie cubes",
            "Portioned frozen fruit-and-veg smoothie cubes for home blenders.",
            "ellie", "nadia", "Marketing & Consumer Insight", "plant_meals", ("new_products",),
            "h2"),
    # Process improvement: diagnose → pilot → roll out → standardise.
    Planned("pr_diagnose", "process", "diagnose", "Faster allergen changeover cleaning",
            "Cut the 90-minute allergen clean between sauce runs without raising risk.",
            "rhian", "rhian", "Wrexham Plant", "automation", ("shop_floor_ideas",), "h1"),
    Planned("pr_pilot", "process", "pilot", "Heat recovery from the Leeds chillers",
            "Use waste heat from the refrigeration plant to pre-heat CIP water.",
            "liam", "liam", "Engineering & Maintenance", "energy", ("energy",), "h1"),
    Planned("pr_rollout", "process", "rollout", "Predictive maintenance on filling lines",
            "Vibration sensors on the filler motors warn before bearings fail.",
            "olu", "liam", "Engineering & Maintenance", "automation", ("energy",), "h1"),
    Planned("pr_standardise", "process", "standardise", "Digital HACCP checks on tablets",
            "Replace paper CCP sheets with tablet checks that alert the shift manager.",
            "grace", "grace", "Quality & Food Safety", "automation", ("shop_floor_ideas",),
            "h1"),
    Planned("pr_hold", "process", "hold:pilot", "Robotic case packing at Wrexham",
            "A collaborative robot packs sauce jars into cases on the night shift.",
            "stefan", "stefan", "Wrexham Plant", "automation", ("energy",), "h1"),
    # Business model: explore → test the model → incubate → launch.
    Planned("bm_explore", "business_model", "explore", "Hospital meal-kit subscription",
            "Weekly chilled meal kits for NHS trusts' patient kitchens, on a subscription.",
            "sam", "sam", "Retail Sales", "retailer_dependence", ("new_products",), "h3"),
    Planned("bm_test", "business_model", "test", "Direct-to-consumer soup subscription",
            "Fortnightly soup boxes delivered to homes, sold on our own website.",
            "ellie", "ellie", "Marketing & Consumer Insight", "direct", ("new_products",),
            "h3"),
    Planned("bm_incubate", "business_model", "incubate", "Surplus sauces for caterers",
            "Sell short-dated sauce runs to contract caterers instead of writing them off.",
            "marcus", "marcus", "Supply Chain & Logistics", "retailer_dependence",
            ("new_products",), "h2"),
    Planned("bm_launch", "business_model", "launch", "Food-service wholesale partnership",
            "Private-label soups for a food-service wholesaler's own brand.",
            "sam", "sam", "Retail Sales", "retailer_dependence", ("new_products",), "h2"),
    # Continuous improvement: assess → implement → verify.
    Planned("ci_assess", "continuous_improvement", "assess", "Shadow boards for sauce-line tools",
            "Outline every tool's place so changeovers stop waiting for missing spanners.",
            "megan", "dan", "Leeds Plant", "skills_culture", ("shop_floor_ideas",), "h1"),
    Planned("ci_implement", "continuous_improvement", "implement",
            "Colour-coded hoses in the hygiene area",
            "Colour hoses by chemical so no one connects caustic to the rinse line.",
            "rhian", "rhian", "Wrexham Plant", "skills_culture", ("shop_floor_ideas",), "h1"),
    Planned("ci_verify", "continuous_improvement", "verify", "Label printer checks at shift start",
            "A two-minute printer check at shift start to stop mislabelled batches.",
            "kasia", "dan", "Leeds Plant", "skills_culture", ("shop_floor_ideas",), "h1"),
    Planned("ci_deployed", "continuous_improvement", "deployed", "LED lighting in the chill store",
            "Swap the sodium lamps in the chill store for LEDs with motion sensors.",
            "olu", "liam", "Leeds Plant", "energy", ("energy",), "h1"),
)

ORDER = (initiatives, validation, evaluation, resources, gates, templates_demo, value, portfolio)


def build(ctx: dict) -> dict:
    ctx["pipeline_plan"] = PLAN
    built = {}
    for area in ORDER:
        built[area.__name__.rsplit(".", 1)[-1]] = area.build(ctx)
    return built
