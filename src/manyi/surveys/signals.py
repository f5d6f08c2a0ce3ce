"""What the measurement tells apps above it, without importing them.

`run_finished` is sent after a measurement run's result (or failure) is committed, with
``run`` (the MeasurementRun, reloaded). Supervision listens for its holder surveys (Art. 22).
"""

from django.dispatch import Signal

run_finished = Signal()
