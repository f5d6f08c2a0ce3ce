"""See the package docstring in its services module."""
