"""A duplicate in the demo: a colleague shares an idea that an earlier one already made (in
other words), people support and discuss it, and the innovation manager marks it as a
duplicate and merges it. The survivor shows "Merged into this idea", the merged idea's page
sends visitors on, and the audit trail holds an "idea.merged" event with its Undo button.

Runs after the challenges and ideas are built, through the actions. Needs ``ctx["users"]``
(by person key; the role accounts under their role names). Returns
``{"merge": IdeaMerge | None, "source": Idea | None, "target": Idea | None}`` (all None when
no open, organisation-wide challenge with an idea exists).
"""

from __future__ import annotations

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.ideas import actions
from seedbed.ideas.actions import duplicates
from seedbed.ideas.models import Challenge, Idea

# The earlier idea (a demo seed) and the duplicate, the same thing in other words.
ORIGINAL_TITLE = "Replace black CPET trays with detectable or clear CPET"
DUPLICATE_TITLE = "Ready-meal trays the recycling machines can actually see"
DUPLICATE_TEXT = (
    "Our ovenable meal trays are black, and the optical sorters at the recycling centre cannot "
    "spot black plastic, so the trays get burnt even though they could be recycled.\n\n"
    "Could we move to see-through trays, or a black colour that the sorters detect? I heard "
    "our tray supplier sells a sorter-friendly black already."
)


def _choose_target() -> Idea | None:
    seeded = Idea.objects.filter(title=ORIGINAL_TITLE, status=Idea.Status.SUBMITTED).first()
    if seeded is not None:
        return seeded
    challenges = Challenge.objects.filter(status=Challenge.Status.OPEN,
                                          audience=Challenge.Audience.ORGANISATION,
                                          voting_mode=Challenge.VotingMode.SUPPORT)
    return (Idea.objects.filter(challenge__in=challenges, status=Idea.Status.SUBMITTED,
                                confidential=False).order_by("-vote_count", "id").first())


def build(ctx: dict) -> dict:
    users = ctx["users"]
    manager, contributor = users[policy.MANAGER], users[policy.CONTRIBUTOR]
    target = _choose_target()
    if target is None or target.challenge_id is None:
        return {"merge": None, "source": None, "target": None}
    author = contributor if target.author_id != contributor.pk else users[policy.EVALUATOR]
    source = actions.submit_idea(author, target.challenge, title=DUPLICATE_TITLE,
                                 description=DUPLICATE_TEXT, idea_type=target.idea_type)
    for key in (policy.EVALUATOR, policy.LEADER, policy.ADMIN):
        person = users[key]
        if person.pk in (source.author_id, target.author_id):
            continue
        try:
            actions.toggle_vote(person, source)
        except StateConflict:
            continue  # someone who may not support it here (closed, own idea) is skipped
    actions.add_comment(users[policy.LEADER], source,
                        body="Isn't this the same as the CPET tray idea already in this "
                             "challenge? Worth joining forces.")
    survivor = target
    merge = duplicates.merge_ideas(manager, source, survivor,
                                   reason="Same idea as an earlier one: the support and the "
                                          "discussion are combined there.")
    return {"merge": merge, "source": source, "target": survivor}
