"""Co-creation: threaded comments, mentions, follows, expert invitations (clause 6.6)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from seedbed.audit import service as audit
from seedbed.ideas.models import Comment, Idea
from seedbed.lib.validation import clean_text

_clean_text = partial(clean_text, required=True)


@transaction.atomic
def add_comment(actor, idea: Idea, *, body: str) -> Comment:
    errors: dict[str, str] = {}
    body = _clean_text(body, "body", max_length=5000, errors=errors)
    if errors:
        raise ValidationError(errors)
    comment = Comment.objects.create(idea=idea, author=actor, body=body)
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    audit.record(actor, "comment.added", comment, audit.created(comment, ("idea", "body")))
    return comment


