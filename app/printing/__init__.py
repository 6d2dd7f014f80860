"""Printed paperwork with ReportLab: fonts, layout helpers, one module per form; it takes plain
dataclasses (built by app.printdata from the database) and never reads the database itself."""
