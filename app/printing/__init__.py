"""Printed paperwork with ReportLab: fonts, layout helpers, one module per form (to come)."""
