"""Translation tables, one module per page (see ui/i18n.py)."""
