"""Alder Valley Foods' controlled documents: innovation intent, IMS scope, innovation strategy
(version 2 in force, version 1 superseded) and innovation policy, with who has read them."""

from __future__ import annotations

from datetime import timedelta

from seedbed import policy
from seedbed.strategy.actions import documents as actions
from seedbed.strategy.models import FocusArea

INTENT = """\
## Why we innovate

Alder Valley Foods makes fresh soups, sauces and chilled ready meals for UK retailers from two
plants, Leeds and Wrexham. Our customers' shoppers want food that is quicker, healthier and
kinder to the planet; our retailers want fewer, stronger suppliers; energy and packaging costs
keep rising. Innovation is how we stay the chilled supplier retailers choose first.

## What we want innovation to achieve

1. **Products shoppers choose again**: recipes with less salt and sugar, more plants, and a
   clear reason to buy.
2. **Waste and carbon out of every pack**: recyclable packaging, less food waste, lower energy
   per tonne.
3. **Plants that run right first time**: faster changeovers and fewer holds.
4. **New routes to market** where our chilled know-how gives us a right to win.

## How we will know

Each of these has objectives with targets in the innovation objectives register, reviewed by the
leadership team every quarter.
"""

SCOPE = """\
## What the innovation management system covers

- All sites: Leeds Plant, Wrexham Plant and the head office functions.
- Product, packaging, process and business-model innovation, from a spotted opportunity to a
  scaled solution.
- Collaboration with packaging suppliers, universities and start-ups under signed agreements.

## What it does not cover

- Routine recipe tweaks requested by a retailer's technical team: these run through the
  specification change process of the quality management system (ISO 9001, BRCGS).
- Capital replacement of existing equipment like for like.

## Interfaces

The IMS uses the quality system's document control for recipes and specifications, and the
energy management system's metering data for energy-saving initiatives.
"""

STRATEGY_V1 = """\
## Our innovation strategy, 2025–2027

We concentrate our innovation effort where the intent points: **healthier recipes**,
**recyclable packaging** and **lean plants**.

- Every quarter, each plant runs one challenge on its biggest loss.
- Product Development keeps a pipeline of at least six concepts per season.
- We test ideas quickly and cheaply before we spend capital.
"""

STRATEGY_V2 = """\
## Our innovation strategy, 2025–2027

We concentrate our innovation effort where the intent points: **healthier recipes**,
**recyclable packaging**, **lower energy use** and **lean plants**.

- Every quarter, each plant runs one challenge on its biggest loss.
- Product Development keeps a pipeline of at least six concepts per season.
- We test ideas quickly and cheaply before we spend capital: a validated experiment comes before
  any request over £10,000.
- Sustainability is a gate criterion for every initiative, not an afterthought.
- We work with two or three chosen partners (packaging, university, start-up) rather than many.
"""

RESOURCES = """\
- **Budget**: £420,000 a year, split between the plants (£150,000 each) and Product Development
  (£120,000).
- **Time**: up to 5% of working time for people on innovation initiatives, agreed with their
  manager.
- **Partners**: a packaging supplier for mono-material trays; a university food science group
  for reformulation.
- **Competencies**: packaging engineering, energy management and design thinking (see the
  competence matrix for gaps).
"""

MEASURES = """\
- Ideas received per challenge, and the share taken into validation.
- Median weeks from idea to decision at the first gate.
- Savings and revenue from deployed initiatives, reviewed at the management review.
"""

POLICY = """\
## Our innovation policy

At Alder Valley Foods everyone can improve what we make and how we make it.

1. **Ideas are welcome from everyone**, on every shift and at every site. Every idea gets an
   answer.
2. **We aim at our strategy.** Challenges ask for ideas on the opportunities and threats that
   matter most, so good ideas find a home.
3. **We learn by testing.** Small, safe experiments beat long debates. An experiment that
   disproves an idea is a success, not a failure.
4. **Food safety and people's safety come first.** No experiment bypasses HACCP or our safety
   rules.
5. **We share credit.** Contributors are named on the ideas and initiatives they started.
6. **We protect what we create**, and respect our partners' intellectual property.
7. **Leaders give time and money** for innovation, and review how well it works every quarter.
"""


def _approved(ctx: dict, document, *, author, approver, body: str, summary: str,
              effective_on, **content):
    version = actions.create_draft(author, document, body=body, change_summary=summary,
                                   **content)
    actions.submit_version(author, version)
    return actions.approve_version(approver, version, effective_on=effective_on)


def build(ctx: dict) -> None:
    users, today = ctx["users"], ctx["today"]
    manager, leader = users[policy.MANAGER], users[policy.LEADER]
    approver = users.get("claire", leader)

    intent = actions.create_document(manager, kind="intent", title="Innovation intent")
    _approved(ctx, intent, author=manager, approver=leader, body=INTENT,
              summary="First issue, agreed at the leadership away day.",
              effective_on=today - timedelta(days=200))
    scope = actions.create_document(manager, kind="scope", title="Scope of the IMS")
    _approved(ctx, scope, author=manager, approver=leader, body=SCOPE,
              summary="First issue.", effective_on=today - timedelta(days=200))

    areas = [area for area in (ctx.get("focus_areas") or {}).values()
             if isinstance(area, FocusArea) and area.status == FocusArea.Status.ACTIVE]
    strategy = actions.create_document(manager, kind="strategy", title="Innovation strategy")
    _approved(ctx, strategy, author=manager, approver=leader, body=STRATEGY_V1,
              summary="First issue.", effective_on=today - timedelta(days=180),
              focus_areas=areas[:3], resources_needed=RESOURCES, progress_measures=MEASURES,
              next_review_on=today + timedelta(days=30))
    strategy_v2 = _approved(
        ctx, strategy, author=manager, approver=approver, body=STRATEGY_V2,
        summary="Adds lower energy use after the gas price rise; sustainability becomes a gate "
                "criterion; fewer, chosen partners.",
        effective_on=today - timedelta(days=45), focus_areas=areas,
        next_review_on=today + timedelta(days=320))
    policy_doc = actions.create_document(manager, kind="policy", title="Innovation policy")
    policy_v1 = _approved(ctx, policy_doc, author=manager, approver=leader, body=POLICY,
                          summary="First issue, signed by the Managing Director.",
                          effective_on=today - timedelta(days=150))
    # A draft the innovation manager is working on: next year's wording of the scope.
    actions.create_draft(manager, scope, change_summary="Add the new Wrexham sauces line.")

    # Most employees have confirmed reading the policy; fewer the newer strategy version.
    employees = [u for u in users.values() if policy.can(u, "strategy.acknowledge")]
    for index, person in enumerate(employees):
        if index % 7 == 3:
            continue
        actions.acknowledge_version(person, policy_v1)
        if index % 3 != 2:
            actions.acknowledge_version(person, strategy_v2)
    ctx["documents"] = {"intent": intent, "scope": scope, "strategy": strategy,
                        "policy": policy_doc}
