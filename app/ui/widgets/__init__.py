"""Small reusable widgets: date fields, code-list combos, inline status labels."""

from app.ui.widgets.refcount import pin_singletons

pin_singletons()
