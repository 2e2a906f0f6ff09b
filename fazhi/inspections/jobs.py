"""Background jobs of the inspections module: the entity directory import (directory.py)."""

from fazhi.inspections import directory  # noqa: F401  (registers inspections.directory_import)
