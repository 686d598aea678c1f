"""Alder Valley Foods' ideas beyond the challenges' seeded ones, showing what an idea can be:
co-authored (one invitation accepted, one still pending), tagged, edited into a second version,
IP-confidential with an assigned evaluator, sent against a focus area outside any challenge,
kept as a private draft, and moved through review by the innovation manager.

Everything goes through seedbed.ideas.actions, so counters, versions and the audit trail agree.
Needs ``ctx["users"]`` (by person key; role accounts under their role names),
``ctx["challenges"]`` (by seed key, from the challenges demo) and ``ctx["focus_areas"]`` (by
key, from the strategy demo). Runs after the challenges demo and before discussion and support.
Adds and returns ``ctx["demo_ideas"]`` (by key below).
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from seedbed import policy
from seedbed.ideas import actions
from seedbed.ideas import selectors as idea_selectors
from seedbed.ideas.models import Challenge, Idea, IdeaType

CRATES_V1 = """\
Cardboard outer cases for our Leeds soups go straight into Harwood's cardboard baler. A
returnable crate loop (we already run one for chilled desserts at Wrexham) would replace them.

- crates travel back on the empty delivery trucks
- one crate lasts about 200 trips
"""

CRATES_V2 = CRATES_V1 + """
**Update after talking to transport:** trucks come back two-thirds empty on the Harwood's
route, so the return leg costs nothing extra. A pilot on the Leeds–Doncaster depot route
would need 1,800 crates.
"""

CONFIDENTIAL = """\
A blend of seaweed powder, mushroom extract and potassium salt that let the development
kitchen take **30 % of the salt** out of our tomato soup without a panel noticing.

The ratios and the drying step are the new part; we should talk to a patent attorney before
anyone outside the company hears about it, including at supplier days.
"""

SUBSCRIPTION = """\
Offices near our plants keep asking the shop whether we deliver. A weekly soup-and-bread
subscription for workplaces (10 to 50 people) would test direct sales without a consumer
website: invoices, a fixed delivery day, returnable tureens.
"""

DRAFT = """\
Film offcuts from the tray sealer: could Kestrel take them back? Need to check the volumes
with the line first.
"""


def _sees(user, challenge: Challenge) -> bool:
    return (policy.can(user, "idea.contribute")
            and idea_selectors.visible_challenges(user).filter(pk=challenge.pk).exists())


def _open(ctx: dict, key: str) -> Challenge | None:
    challenge = ctx.get("challenges", {}).get(key)
    if challenge is None:
        return None
    challenge.refresh_from_db()
    return challenge if challenge.accepts_ideas() else None


def build(ctx: dict) -> dict:
    users = ctx["users"]
    types = {t.code: t for t in IdeaType.objects.all()}
    manager = users[policy.MANAGER]
    made: dict[str, Idea] = {}

    waste = _open(ctx, "waste")
    if waste is not None and _sees(users["dan"], waste):
        crates = actions.submit_idea(
            users["dan"], waste, title="Returnable crates on the Harwood's soup route",
            description=CRATES_V1, idea_type=_accepted(waste, types, "process"),
            tags=["reuse", "logistics", "packaging"])
        invitation = actions.invite_coauthor(users["dan"], crates, users["kasia"])
        actions.respond_to_invitation(users["kasia"], invitation, accept=True)
        # Olu has not answered yet: the invitation waits on his home page.
        actions.invite_coauthor(users["dan"], crates, users["olu"])
        actions.update_idea(users["dan"], crates, description=CRATES_V2,
                            tags=["reuse", "logistics", "packaging", "transport"])
        actions.add_attachment(users["dan"], crates, SimpleUploadedFile(
            "crate-pilot-figures.csv",
            b"route,cases per week,crates needed,empty return legs\n"
            b"Leeds-Doncaster,5400,1800,67%\n"))
        actions.change_status(manager, crates, status=Idea.Status.UNDER_REVIEW,
                              reason="Strong fit with the packaging focus area; the "
                                     "logistics team will size the pilot.")
        made["crates"] = crates

    healthy = _open(ctx, "healthy")
    evaluator = users[policy.EVALUATOR]
    if healthy is not None and _sees(evaluator, healthy):
        blend = actions.submit_idea(
            evaluator, healthy, title="Salt-reduction flavour blend for tomato soup",
            description=CONFIDENTIAL, idea_type=_accepted(healthy, types, "product"),
            tags=["hfss", "salt reduction", "recipe"], confidential=True)
        actions.assign_evaluators(manager, blend, [users["aisha"]])
        actions.change_status(manager, blend, status=Idea.Status.UNDER_REVIEW,
                              reason="Promising; Aisha checks the food-safety side before we "
                                     "brief a patent attorney.")
        made["confidential"] = blend

    direct = ctx.get("focus_areas", {}).get("direct")
    if direct is not None:
        made["focus_area"] = actions.create_idea(
            users["ellie"], focus_area=direct, title="Workplace soup subscriptions",
            description=SUBSCRIPTION, idea_type=types["business_model"],
            tags=["direct to consumer", "subscription"])

    packaging = _open(ctx, "packaging")
    contributor = users[policy.CONTRIBUTOR]
    if packaging is not None and _sees(contributor, packaging):
        made["draft"] = actions.create_idea(
            contributor, challenge=packaging, title="Send tray-sealer film offcuts back",
            description=DRAFT, idea_type=_accepted(packaging, types, "process"), draft=True)

    energy = _open(ctx, "energy")
    if energy is not None:
        seeded = list(idea_selectors.listed(Idea.objects.filter(challenge=energy))
                      .filter(status=Idea.Status.SUBMITTED).order_by("id")[:2])
        if seeded:
            actions.change_status(manager, seeded[0], status=Idea.Status.UNDER_REVIEW,
                                  reason="On the agenda of the next energy review.")
            actions.change_status(manager, seeded[0], status=Idea.Status.SELECTED,
                                  reason="Quick payback; Liam will scope a trial on line 3.")
        if len(seeded) > 1:
            actions.change_status(manager, seeded[1], status=Idea.Status.PARKED,
                                  reason="Depends on the new chiller contract; we revisit "
                                         "it in the spring.")
    ctx["demo_ideas"] = made
    return made


def _accepted(challenge: Challenge, types: dict, wanted: str) -> IdeaType:
    accepted = {t.code: t for t in challenge.idea_types.all()}
    return accepted.get(wanted) or next(iter(accepted.values()), types[wanted])
