"""Dialogs: household and person forms, moving and marking members, first run, sign-in, import."""
