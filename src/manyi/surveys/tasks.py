"""Worker tasks: thin, they take ids, load, and call the service."""

from manyi.surveys.models import MeasurementRun
from manyi.surveys.services import execute_run


def compute_run(run_id: int) -> str:
    run = MeasurementRun.objects.filter(pk=run_id).select_related("dataset").first()
    if run is None:
        return "missing"
    return execute_run(run=run).status
