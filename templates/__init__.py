"""The report templates (Jinja2, and the Word reference document), installed as package data of delivery_report."""
