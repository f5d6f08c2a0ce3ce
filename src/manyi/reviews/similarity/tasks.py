"""Worker tasks: thin, they take ids, load, and call the service."""

from manyi.reviews.models import SimilarityRun
from manyi.reviews.similarity.services import execute_run


def run_similarity(run_id: int) -> str:
    run = SimilarityRun.objects.filter(pk=run_id).select_related("campaign").first()
    if run is None:
        return "missing"
    return execute_run(run=run).status
