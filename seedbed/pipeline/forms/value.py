"""Forms of the Value tab: indicators, measurements, feedback and the post-launch review. They
check shapes; the actions in ``actions/value.py`` check the rules."""

from __future__ import annotations

from django import forms

from seedbed.pipeline.models import PostLaunchReview, SolutionIndicator

DATE = {"type": "date"}
RATING_CHOICES = [("", "No rating"), *((str(n), label) for n, label in (
    (5, "5 – excellent"), (4, "4 – good"), (3, "3 – fair"), (2, "2 – poor"), (1, "1 – bad")))]


class IndicatorForm(forms.Form):
    kind = forms.ChoiceField(choices=SolutionIndicator.Kind.choices)
    name = forms.CharField(max_length=200, help_text="What is measured, e.g. “Stores listing "
                                                     "the range” or “Annual packaging saving”.")
    unit = forms.CharField(
        max_length=40, help_text="A currency such as GBP for revenue and cost saving (all money "
                                 "indicators of an initiative share it); %, score out of 5, "
                                 "stores… for the others.")
    projected = forms.DecimalField(max_digits=14, decimal_places=2, required=False,
                                   help_text="The value the initiative expects once launched.")

    @staticmethod
    def initial_for(indicator: SolutionIndicator) -> dict:
        return {"kind": indicator.kind, "name": indicator.name, "unit": indicator.unit,
                "projected": indicator.projected}


class MeasurementForm(forms.Form):
    actual = forms.DecimalField(max_digits=14, decimal_places=2, label="Measured value")
    measured_on = forms.DateField(label="Measured on", widget=forms.DateInput(attrs=DATE))


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int, empty_value=None,
                                    required=False)
    text = forms.CharField(max_length=5000, label="Feedback",
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="How the solution works for you, what to change.")


class ReviewForm(forms.Form):
    summary = forms.CharField(max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="What was launched, where, and how it is used.")
    value_assessment = forms.CharField(
        max_length=10000, required=False, label="Value measured against projected",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Set the measured indicators against the value case and say why they differ.")
    lessons = forms.CharField(max_length=10000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="What to repeat and what to do differently next time.")

    @staticmethod
    def initial_for(review: PostLaunchReview | None) -> dict:
        if review is None:
            return {}
        return {"summary": review.summary, "value_assessment": review.value_assessment,
                "lessons": review.lessons}
