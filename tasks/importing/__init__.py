"""The import pipeline shared by the Excel task-table import and the document import.

Sources (an Excel task table, or a ``ParsedDocument`` from ``tasks.parsing``) become a
``PlanDraft`` that keeps every name as written; ``resolve_name`` matches names to the unit
registry; ``import_plan`` writes the whole plan in one transaction.
"""
