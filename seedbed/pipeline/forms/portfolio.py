"""Portfolio forms: the filters every portfolio page shares (GET) and a portfolio criterion."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from seedbed.pipeline.models import Initiative, PortfolioCriterion, Stage
from seedbed.pipeline.selectors.portfolio import FilterOptions, Filters

_ANY = [("", "Any")]
_SELECTED = mark_safe(" selected")


class QuickSelect(forms.Select):
    """A plain select written in Python. The filter form lists every lead and org unit, and
    rendering each option through Django's widget templates would cost more than the rest of a
    portfolio page at ten thousand initiatives."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        current = "" if value is None else str(value)
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (key, _SELECTED if str(key) == current else "", label)
            for key, label in self.choices))
        return format_html('<select name="{}"{}>{}</select>', name,
                           flatatt(self.build_attrs(self.attrs, attrs)), options)


class PortfolioFilterForm(forms.Form):
    template = forms.ChoiceField(label="Template", required=False, widget=QuickSelect)
    phase = forms.ChoiceField(label="Phase", required=False, widget=QuickSelect,
                              choices=_ANY + list(Stage.Phase.choices))
    status = forms.ChoiceField(label="Status", required=False, widget=QuickSelect,
                               choices=_ANY + list(Initiative.Status.choices))
    horizon = forms.ChoiceField(label="Horizon", required=False, widget=QuickSelect,
                                choices=_ANY + list(Initiative.Horizon.choices))
    idea_type = forms.ChoiceField(label="Idea type", required=False, widget=QuickSelect)
    focus_area = forms.TypedChoiceField(label="Focus area", required=False, coerce=int,
                                        empty_value=None, widget=QuickSelect)
    org_unit = forms.TypedChoiceField(label="Org unit (and below)", required=False, coerce=int,
                                      empty_value=None, widget=QuickSelect)
    lead = forms.TypedChoiceField(label="Lead", required=False, coerce=int, empty_value=None,
                                  widget=QuickSelect)
    min_uncertainty = forms.IntegerField(label="Uncertainty from", required=False, min_value=0,
                                         max_value=100)
    max_uncertainty = forms.IntegerField(label="Uncertainty to", required=False, min_value=0,
                                         max_value=100)
    # A stage key: set by the board's "and K more" links, not offered as a choice.
    stage = forms.SlugField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, options: FilterOptions, with_template: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = _ANY + options.templates
        self.fields["idea_type"].choices = _ANY + options.idea_types
        self.fields["focus_area"].choices = _ANY + options.focus_areas
        self.fields["org_unit"].choices = _ANY + options.org_units
        self.fields["lead"].choices = _ANY + options.leads
        if not with_template:
            # The board chooses its template with tabs; the form keeps the choice.
            self.fields["template"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        for name, message in Filters.of(data).errors().items():
            if name not in self.errors:
                self.add_error(name, message)
        return data

    def filters(self) -> Filters:
        """The filters as cleaned (after is_valid())."""
        return Filters.of(self.cleaned_data)


def bucket_field_choices(buckets: dict[str, list[tuple[str, str]]]) -> list:
    """One select for dimension and bucket together, grouped by dimension: "horizon:h1",
    "focus_area:12"."""
    labels = dict(PortfolioCriterion.Dimension.choices)
    return [("", "Choose…")] + [
        (labels[dimension], [(f"{dimension}:{bucket}", name) for bucket, name in options])
        for dimension, options in buckets.items() if options]


class CriterionForm(forms.Form):
    target = forms.ChoiceField(label="Target for",
                               help_text="The dimension and the bucket within it.")
    target_share = forms.DecimalField(
        label="Target share (%)", min_value=0, max_value=100, max_digits=5, decimal_places=2,
        help_text="The share of the portfolio's investment this bucket should take.")
    label = forms.CharField(label="Label", required=False, max_length=120,
                            help_text="Left empty: the bucket's name.")
    note = forms.CharField(label="Why", required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, buckets: dict[str, list[tuple[str, str]]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = bucket_field_choices(buckets)

    def values(self) -> dict:
        """What the actions take (after is_valid())."""
        dimension, _, bucket = self.cleaned_data["target"].partition(":")
        return {"dimension": dimension, "bucket": bucket,
                "target_share": self.cleaned_data["target_share"],
                "label": self.cleaned_data["label"], "note": self.cleaned_data["note"]}

    @staticmethod
    def initial_for(criterion: PortfolioCriterion) -> dict:
        return {"target": f"{criterion.dimension}:{criterion.bucket}",
                "target_share": criterion.target_share, "label": criterion.label,
                "note": criterion.note}
