"""JSON Schemas of the content files (installed as the package data delivery_report.schemas); see docs/editing.md."""
