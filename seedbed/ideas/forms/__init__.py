"""Ideation forms, one module per area."""

from seedbed.ideas.forms.challenges import ChallengeForm  # noqa: F401
from seedbed.ideas.forms.discussion import CommentForm  # noqa: F401
from seedbed.ideas.forms.ideas import IdeaForm  # noqa: F401
from seedbed.ideas.forms.types import CustomFieldForm, IdeaTypeForm  # noqa: F401
