"""Form widgets that write their HTML in Python rather than through Django's widget templates:
the same markup as django/forms/widgets/*.html (which Django strips of white space at either
end), at a fraction of the cost. The catalogue renders
five selects (every directorate, every district) on each request, and rendering them through
templates, an include for each option, was a third of the list page's time."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                html.append(format_html('\n  <option value="{}"', str(option["value"])))
                html.append(_attrs(option["attrs"]))
                html.append(format_html(">{}</option>\n", option["label"]))
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 - every part escaped above


class _Input:
    """As django/forms/widgets/input.html."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        if widget["value"] is not None:
            html += format_html(' value="{}"', str(widget["value"]))
        return mark_safe(html + _attrs(widget["attrs"]) + ">")  # noqa: S308 - escaped above


class TextInput(_Input, forms.TextInput):
    pass


class CheckboxInput(_Input, forms.CheckboxInput):
    pass
