"""Form helpers shared by every app."""

from django import forms


class BootstrapMixin:
    """Gives every widget the Bootstrap class it needs, so templates render fields uniformly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def add_validation_errors(exc, form) -> None:
    """Put a service's ValidationError on the form: on its fields where it names them."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def tell_refusal(request, refusal) -> None:
    """Show each message of a ValidationError, or each error of an invalid form, to the person
    (Django's messages framework), so a view that redirects after a refused act says why."""
    from django.contrib import messages

    if isinstance(refusal, forms.BaseForm):
        found = [m for errors in refusal.errors.values() for m in errors]
    else:
        found = refusal.messages
    for message in found:
        messages.error(request, message)
