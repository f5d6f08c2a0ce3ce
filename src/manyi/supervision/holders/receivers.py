"""Hears the measurement run of a holder survey finishing (filled in by the holder-survey work)."""
