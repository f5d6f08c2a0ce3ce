"""The supervision hub (/supervision/): what is waiting, and a door to each part. Each part
has its own package (`spotchecks/`, `revisits/`, …) with its views, so the hub stays small."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from manyi.accounts.decorators import role_required
from manyi.supervision import selectors
from manyi.supervision.access import READERS
from manyi.supervision.evidence import open_evidence


@role_required(*READERS)
def index(request):
    counts = selectors.overview(request.user)
    sections = [
        {
            "label": label,
            "url": reverse(name),
            "about": about,
            "counts": [(words, counts[key]) for words, key in shown],
        }
        for label, name, about, shown in _sections()
    ]
    return render(request, "supervision/index.html", {"sections": sections})


@login_required
def evidence_download(request, pk):
    evidence = selectors.evidence_for(request.user, pk)
    return open_evidence(evidence=evidence, by=request.user)


def _sections() -> list[tuple]:
    """Each package's door (its urls.SECTION), in the order of supervision/urls.py."""
    from manyi.supervision.urls import PACKAGES

    return [package.SECTION for package in PACKAGES if package.SECTION]
