"""Form fields shared by the apps' forms."""

from decimal import Decimal, InvalidOperation

from crispy_forms_gds.layout import Field
from django import forms


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
