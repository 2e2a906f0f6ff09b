"""Rules of the outreach module (the legal-aid review period lives here; see docs/outreach.md)."""
