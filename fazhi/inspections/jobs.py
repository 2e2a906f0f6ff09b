"""Background jobs of the inspections module (the 1,000,000-entity directory import is added
with the random-inspection directory)."""
