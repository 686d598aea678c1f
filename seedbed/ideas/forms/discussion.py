from __future__ import annotations

from django import forms

from seedbed.accounts.models import Competency

MENTION_HELP = ("Mention someone with @ and their handle (the part of their e-mail address "
                "before the @), e.g. @anna.berg. Only people who may see this idea are "
                "linked and told; a mention of anyone else is ignored.")


class CommentForm(forms.Form):
    body = forms.CharField(max_length=5000, label="Add a comment", help_text=MENTION_HELP,
                           widget=forms.Textarea(attrs={"rows": 3}))
    # The comment answered (its thread); blank for a new thread.
    parent_id = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1,
                                   widget=forms.HiddenInput)


class FollowForm(forms.Form):
    follow = forms.TypedChoiceField(choices=(("1", "Follow"), ("0", "Unfollow")),
                                    coerce=lambda value: value == "1")


class ExpertSearchForm(forms.Form):
    competency = forms.ModelChoiceField(Competency.objects.order_by("name"), required=False,
                                        empty_label="Any competency")
    q = forms.CharField(max_length=100, required=False, label="Name contains")


class ExpertInviteForm(forms.Form):
    expert_id = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    competency_id = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1,
                                       widget=forms.HiddenInput)
    message = forms.CharField(max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="Why their expertise would help (optional).")
