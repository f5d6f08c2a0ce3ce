"""Worker tasks: thin, they take ids, load, and call the service."""

from manyi.surveys.models import MeasurementRun
from manyi.surveys.services import execute_run, fail_run


def _load(run_id: int) -> MeasurementRun | None:
    return MeasurementRun.objects.filter(pk=run_id).select_related("dataset").first()


def compute_run(run_id: int) -> str:
    """The measurement job's handler (``common.jobs.kinds``)."""
    run = _load(run_id)
    if run is None:
        return "missing"
    return execute_run(run=run).status


def compute_failed(run_id: int, message: str) -> None:
    run = _load(run_id)
    if run is not None:
        fail_run(run=run, message=message)
