"""Form fields, and a form mixin, shared by the apps' forms."""

from decimal import Decimal, InvalidOperation

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.datastructures import MultiValueDict

from kcc_portal.text import strip_control_characters, strip_from_lists


class StripsControlCharacters:
    """Form mixin: removes control characters (see kcc_portal/text.py) from what was posted,
    before any field sees it, so that they are never stored and never reach the database.

    Django's CharField would refuse a NUL with "Null characters are not allowed.", which the
    person cannot act on (the character is invisible), and lets every other control character
    through. Password fields are left exactly as typed: a password is compared, never shown or
    stored as text. `control_characters_removed` says how many went, for the view to tell the
    person (`kcc_portal.text.removed_message`).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.control_characters_removed = 0
        if not self.is_bound:
            return
        secret = {
            self.add_prefix(name)
            for name, field in self.fields.items()
            if isinstance(field.widget, forms.PasswordInput)
        }
        if hasattr(self.data, "lists"):  # a QueryDict or MultiValueDict, as views pass
            lists = [(k, v) for k, v in self.data.lists() if k not in secret]
            cleaned, removed = strip_from_lists(lists)
            data = MultiValueDict(cleaned)
            for key in secret & set(self.data):
                data.setlist(key, self.data.getlist(key))
        else:  # a plain dict, as code and tests may pass
            data, removed = {}, 0
            for key, value in self.data.items():
                if isinstance(value, str) and key not in secret:
                    value, count = strip_control_characters(value)
                    removed += count
                data[key] = value
        self.data, self.control_characters_removed = data, removed


class MoneyField(forms.DecimalField):
    """Pounds, as people type them: "£25,000", "25000" or "25,000.50". Never negative."""

    widget = forms.TextInput

    def __init__(self, *, label, **kwargs):
        super().__init__(
            label=label,
            max_digits=14,
            decimal_places=2,
            min_value=Decimal(0),
            error_messages={
                "required": f"Enter {label[0].lower() + label[1:]}, or 0 if there is none",
                "invalid": f"{label} must be an amount of money, like 25000 or £25,000.50",
                "min_value": f"{label} must be 0 or more",
                "max_decimal_places": f"{label} must not have more than 2 decimal places",
                "max_digits": f"{label} must be less than £1,000,000,000,000",
                "max_whole_digits": f"{label} must be less than £1,000,000,000,000",
            },
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("£", "").replace(" ", "")
        try:
            return super().to_python(value)
        except InvalidOperation:  # pragma: no cover - DecimalField already maps this
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"})
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return attrs


def money(name: str, width: int = 10) -> Field:
    """The crispy-forms-gds layout of a MoneyField: a GOV.UK input with a £ prefix."""
    return Field(name, template="forms/money.html", css_class=f"govuk-input--width-{width}")
