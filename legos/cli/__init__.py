"""The `legos` command line: a thin shell over the Python API (legos.api)."""
