"""Every change to ideation records, one module per area. One transaction, one audit event
each. The names below are the ones other apps (and the demo) use."""

from seedbed.ideas.actions.challenges import (  # noqa: F401
    close_challenge,
    create_challenge,
    open_challenge,
    update_challenge,
)
from seedbed.ideas.actions.discussion import add_comment  # noqa: F401
from seedbed.ideas.actions.ideas import submit_idea  # noqa: F401
from seedbed.ideas.actions.support import toggle_vote  # noqa: F401
