"""Small reusable widgets: date fields, code-list combos, inline status labels."""
