from __future__ import annotations

from django import forms


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV (“CSV UTF-8” in Excel), with a header row. Nothing is imported "
                  "until you have seen the check and confirmed.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))


class ImportConfirmForm(forms.Form):
    # Names the upload kept in this person's session between the check and the import.
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
