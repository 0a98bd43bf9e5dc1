
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.forms import DateInput, MonthField
from dangjian.dues.models import DuesRules
from dangjian.dues.rules import DEFAULTS


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount paid (yuan)"), max_digits=10, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput, initial=timezone.localdate)
    payer = forms.ModelChoiceField(label=_("Paid by someone else"), queryset=None, required=False,
                                   help_text=_("Leave blank when the member paid in person."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           help_text=_("Required when the amount differs from the amount due."))

    def __init__(self, *args, payers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = payers


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CorrectPaymentForm(PaymentForm):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=200)


class BaseForm(forms.Form):
    monthly_base = forms.DecimalField(label=_("Monthly after-tax salary (yuan)"), max_digits=10,
                                      decimal_places=2, required=False)
    fixed_amount = forms.DecimalField(label=_("Fixed monthly amount (yuan)"), max_digits=6, decimal_places=2,
                                      required=False,
                                      help_text=_("Students, rural members without fixed salary, unemployed."))


class GenerateForm(forms.Form):
    month = MonthField(label=_("Month"))


class RemittanceForm(forms.Form):
    month = MonthField(label=_("Month"))
    amount = forms.DecimalField(label=_("Amount remitted (yuan)"), max_digits=12, decimal_places=2)
    remitted_on = forms.DateField(label=_("Remitted on"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Filled-in template (.xlsx)"))


class RulesForm(forms.ModelForm):
    class Meta:
        model = DuesRules
        fields = list(DEFAULTS)

    def defaults(self):
        return [(self[name], DEFAULTS[name]) for name in self.Meta.fields]


class ReductionForm(forms.Form):
    """The branch's proposal (2008 党费规定 一、第七条): who, how much a month, which months, why."""

    amount = forms.DecimalField(label=_("Monthly amount while reduced (yuan)"), max_digits=6, decimal_places=2,
                                min_value=0, help_text=_("0 exempts the member for these months."))
    first_month = MonthField(label=_("From month"))
    last_month = MonthField(label=_("To month"))
    reason = forms.CharField(label=_("Difficulty"), max_length=200,
                             help_text=_("What makes the member unable to pay, as the branch studied it."))
    on = forms.DateField(label=_("Branch proposed on"), widget=DateInput, initial=timezone.localdate)


class ReductionDecideForm(forms.Form):
    decision = forms.ChoiceField(label=pgettext_lazy("dues reduction", "Decision"),
                                 choices=[("approve", pgettext_lazy("dues reduction", "Approve")), ("refuse", _("Refuse"))])
    on = forms.DateField(label=_("Superior decided on"), widget=DateInput, initial=timezone.localdate)
