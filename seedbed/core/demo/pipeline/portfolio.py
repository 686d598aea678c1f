"""Demo pipeline: the portfolio criteria Alder Valley Foods steers its portfolio by (runs last,
see the package's PLAN). The board, matrix and balance views read the initiatives the other
modules built; only the targets are data of their own."""

from __future__ import annotations

from seedbed.pipeline.actions.portfolio import add_criterion

# dimension, bucket (a focus area by its demo key), target share %, why
TARGETS = (
    ("horizon", "h1", 70, "Most of the money keeps the chilled soups, sauces and ready meals "
                          "competitive: recipes, packaging and the Leeds and Wrexham lines."),
    ("horizon", "h2", 20, "Adjacent moves: plant-based meals, food-to-go and food service."),
    ("horizon", "h3", 10, "A few bold bets on new ways to sell, such as subscriptions."),
    ("idea_type", "product", 45, "New and better products remain the main growth route."),
    ("idea_type", "process", 25, "Automation and energy projects at both plants."),
    ("idea_type", "business_model", 15, "Enough to test new models without starving the core."),
    ("idea_type", "continuous_improvement", 15, "Small shop-floor changes cost little but "
                                                "need protected time."),
    ("focus_area", "packaging", 20, "Retailers require recyclable packaging on every line by "
                                    "2027; this share keeps us on track."),
)


def build(ctx: dict) -> dict:
    manager = ctx["users"]["manager"]
    made = {}
    for dimension, bucket, share, note in TARGETS:
        if dimension == "focus_area":
            bucket = str(ctx["focus_areas"][bucket].pk)
        made[(dimension, bucket)] = add_criterion(manager, dimension=dimension, bucket=bucket,
                                                  target_share=share, note=note)
    return {"criteria": made}
