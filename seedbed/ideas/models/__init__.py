"""Ideation records (ISO 56001 8.3.2 identify opportunities, 8.3.3 create concepts, 6.6
collaboration, 7.1.7 intellectual property).

One module per area; each is owned by the same-named modules of actions/, selectors/, views/,
api/ and forms/.
"""

from seedbed.ideas.models.challenges import Challenge, CustomField, IdeaType  # noqa: F401
from seedbed.ideas.models.discussion import Comment, ExpertInvitation, Follow  # noqa: F401
from seedbed.ideas.models.duplicates import IdeaMerge  # noqa: F401
from seedbed.ideas.models.ideas import (  # noqa: F401
    Attachment,
    CoAuthor,
    Idea,
    IdeaVersion,
    Tag,
)
from seedbed.ideas.models.support import SupportBudget, Vote  # noqa: F401
