"""The members' preferences form, in GOV.UK style."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from members.models import Preference
from services.models import District


class PreferenceForm(forms.ModelForm):
    districts = forms.ModelMultipleChoiceField(
        label="Which districts do you follow?",
        help_text="Select all that apply. County-wide services count for every district.",
        queryset=District.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Preference
        fields = ["districts", "email_when_ready"]
        labels = {"email_when_ready": "Email me when a decision pack is ready"}
        help_texts = {
            "email_when_ready": "For a case about a service in one of the districts you follow."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("districts", legend_size=Size.MEDIUM, small=True),
            Field.checkbox("email_when_ready"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email_when_ready") and not cleaned.get("districts"):
            self.add_error(
                "districts",
                "Select at least one district, or untick ‘Email me when a decision pack is ready’",
            )
        return cleaned
