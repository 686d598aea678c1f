"""Every change to ideation records, one module per area. One transaction, one audit event
each. The names below are the ones other apps (and the demo) use."""

from seedbed.ideas.actions.challenges import (  # noqa: F401
    close_challenge,
    create_challenge,
    open_challenge,
    schedule_challenge,
    unschedule_challenge,
    update_challenge,
)
from seedbed.ideas.actions.discussion import (  # noqa: F401
    add_comment,
    auto_follow,
    follow_idea,
    invite_expert,
    unfollow_idea,
)
from seedbed.ideas.actions.ideas import (  # noqa: F401
    add_attachment,
    assign_evaluators,
    change_status,
    create_idea,
    invite_coauthor,
    remove_attachment,
    respond_to_invitation,
    submit_draft,
    submit_idea,
    update_idea,
)
from seedbed.ideas.actions.support import set_tokens, toggle_vote  # noqa: F401
