"""The feed's filter and search form (GET)."""

from __future__ import annotations

from django import forms

from seedbed.ideas.selectors.feed import (
    LISTED_STATUSES,
    SEARCH_SORT,
    SORTS,
    FeedFilters,
    FilterOptions,
)
from seedbed.lib.validation import is_valid_id

_ANY = [("", "Any")]


class FeedFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Words in ideas or comments"}))
    challenge = forms.TypedChoiceField(label="Challenge", required=False, coerce=int,
                                       empty_value=None)
    focus_area = forms.TypedChoiceField(label="Focus area", required=False, coerce=int,
                                        empty_value=None)
    idea_type = forms.ChoiceField(label="Type", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=_ANY + LISTED_STATUSES)
    tag = forms.CharField(label="Tag", required=False, max_length=40,
                          widget=forms.TextInput(attrs={"placeholder": "e.g. packaging"}))
    org_unit = forms.TypedChoiceField(label="Org unit (and below)", required=False, coerce=int,
                                      empty_value=None)
    author = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label="Sort", required=False)

    def __init__(self, *args, options: FilterOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["challenge"].choices = _ANY + options.challenges
        self.fields["focus_area"].choices = _ANY + options.focus_areas
        self.fields["idea_type"].choices = _ANY + options.idea_types
        if options.org_units:
            self.fields["org_unit"].choices = _ANY + [(pk, name) for pk, name, _ in
                                                      options.org_units]
        else:
            del self.fields["org_unit"]
        searching = bool(self.data.get("q", "").strip()) if self.is_bound else False
        sorts = ([(SEARCH_SORT, "Best match")] if searching else []) + list(SORTS.items())
        self.fields["sort"].choices = sorts

    def clean_author(self):
        author = self.cleaned_data.get("author")
        if author is not None and not is_valid_id(author):
            raise forms.ValidationError("No such person.")
        return author

    def filters(self, challenge=None) -> FeedFilters:
        """The filters as cleaned (call after is_valid()); ``challenge`` is the loaded row."""
        data = self.cleaned_data
        unit = data.get("org_unit")
        q = (data.get("q") or "").strip()
        return FeedFilters(
            challenge=challenge,
            focus_area=data.get("focus_area"),
            idea_type=data.get("idea_type") or "",
            status=data.get("status") or "",
            tag=data.get("tag") or "",
            org_unit_ids=self.options.unit_and_below(unit) if unit else None,
            author=data.get("author"),
            q=q,
            sort=data.get("sort") or (SEARCH_SORT if q else "new"),
        )
