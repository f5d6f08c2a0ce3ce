"""Worker tasks: thin, they take ids, load, and call the service."""

from manyi.reviews.models import SimilarityRun
from manyi.reviews.similarity.services import execute_run, fail_run


def _load(run_id: int) -> SimilarityRun | None:
    return SimilarityRun.objects.filter(pk=run_id).select_related("campaign").first()


def run_similarity(run_id: int) -> str:
    """The similarity job's handler (``common.jobs.kinds``)."""
    run = _load(run_id)
    if run is None:
        return "missing"
    return execute_run(run=run).status


def similarity_failed(run_id: int, message: str) -> None:
    run = _load(run_id)
    if run is not None:
        fail_run(run=run, message=message)
