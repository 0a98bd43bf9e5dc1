from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    # Empty files reach the importer, which explains the problem in its own words.
    file = forms.FileField(
        allow_empty_file=True,
        label=_("Roster file"),
        help_text=_("An .xlsx or .csv file filled in after the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
