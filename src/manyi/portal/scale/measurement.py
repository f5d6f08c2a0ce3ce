"""Response data sets and measurement runs, copied from the demo's finished ones.

Computing thousands of PLS models would take hours and prove nothing new: each new run takes a
done run's result (index, importance–performance, bootstrap) and the data set the file of the
run's own data set, under its own title, owner, year and sample size.
"""

from datetime import timedelta

from django.db.models import Subquery

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind
from manyi.fieldwork.models import Survey, SurveyPurpose, SurveyStatus
from manyi.portal.scale.bulk import insert
from manyi.surveys.models import MeasurementRun, ResponseDataset, RunStatus, Scope, Visibility
from manyi.titles.models import Proposal

DATASET_FIELDS = (
    "scope",
    "industry",
    "file_path",
    "original_name",
    "file_format",
    "sha256",
    "size_bytes",
    "columns",
    "numeric_columns",
    "group_column",
    "group_labels",
    "dictionary",
    "scale_min",
    "scale_max",
    "binary_columns",
    "channel",
    "strata",
)
RUN_FIELDS = (
    "model_name",
    "model_spec",
    "model_hash",
    "data_hash",
    "options",
    "column_map",
    "complaint_column",
    "seed",
    "engine_version",
    "seconds",
)
# Copied inside the database (`copy_results`): 50 kB of JSON per run would otherwise be
# escaped character by character on its way into an INSERT.
RESULT_FIELDS = ("result", "bootstrap_result")


class Templates:
    """The demo's released application surveys (award and not), and its industry runs."""

    def __init__(self):
        released = (
            Survey.objects.filter(
                purpose=SurveyPurpose.APPLICATION, status=SurveyStatus.RELEASED, run__isnull=False
            )
            .select_related("run__dataset", "application__decision")
            .defer("run__result", "run__bootstrap_result")
            .order_by("pk")
        )
        self.by_outcome: dict[str, Survey] = {}
        for survey in released:
            decision = getattr(survey.application, "decision", None)
            outcome = decision.proposal if decision is not None else Proposal.AWARD
            self.by_outcome.setdefault(outcome, survey)
        any_survey = next(iter(self.by_outcome.values()), None)
        for outcome in Proposal.values:
            self.by_outcome.setdefault(outcome, any_survey)
        self.industry_runs = list(
            MeasurementRun.objects.filter(
                status=RunStatus.DONE,
                dataset__visibility=Visibility.PROGRAMME,
                dataset__scope=Scope.INDUSTRY,
            )
            .select_related("dataset")
            .defer(*RESULT_FIELDS)
            .order_by("pk")[:20]
        )

    @property
    def usable(self) -> bool:
        return self.by_outcome.get(Proposal.AWARD) is not None

    def survey(self, award: bool) -> Survey:
        return self.by_outcome[Proposal.AWARD if award else Proposal.NOT_AWARD]

    def basis(self, award: bool, n: int) -> dict:
        """The decision basis of the template (index, interval, experts), with our sample."""
        decision = getattr(self.survey(award).application, "decision", None)
        return {**(decision.basis if decision else {}), "n": n}


def copy_run(template: MeasurementRun, *, title, organisation, by, year, n_rows, at, **extra):
    """An unsaved (data set, run) pair copying `template`, done at `at`."""
    dataset = ResponseDataset(
        title=title,
        survey_year=year,
        organisation=organisation,
        uploaded_by=by,
        uploaded_at=at,
        n_rows=n_rows,
        visibility=Visibility.PROGRAMME,
        **{name: getattr(template.dataset, name) for name in DATASET_FIELDS},
        **extra,
    )
    run = MeasurementRun(
        title=title,
        status=RunStatus.DONE,
        created_by=by,
        created_at=at,
        finished_at=at + timedelta(seconds=template.seconds or 30),
        **{name: getattr(template, name) for name in RUN_FIELDS},
    )
    return dataset, run


def save_runs(pairs: list, templates: list) -> list:
    """Write (data set, run) pairs, each run with its template's result; returns the runs."""
    datasets = insert(ResponseDataset, [d for d, _r in pairs], dated=True)
    runs = []
    for dataset, (_d, run) in zip(datasets, pairs, strict=True):
        run.dataset = dataset
        runs.append(run)
    runs = insert(MeasurementRun, runs, dated=True)
    copy_results(runs, templates)
    return runs


def copy_results(runs: list, templates: list) -> None:
    """One UPDATE per template: its result and bootstrap result into the runs copying it."""
    by_template: dict[int, list[int]] = {}
    for run, template in zip(runs, templates, strict=True):
        by_template.setdefault(template.pk, []).append(run.pk)
    for template_id, ids in by_template.items():
        source = MeasurementRun.objects.filter(pk=template_id)
        for start in range(0, len(ids), 5000):
            MeasurementRun.objects.filter(pk__in=ids[start : start + 5000]).update(
                **{name: Subquery(source.values(name)[:1]) for name in RESULT_FIELDS}
            )


def write_agency_runs(world, templates: Templates, agencies) -> int:
    """Each new agency's own industry measurement of last year (one data set and its run)."""
    if not templates.industry_runs:
        return 0
    pairs, copied = [], []
    for i, agency in enumerate(agencies):
        template = templates.industry_runs[i % len(templates.industry_runs)]
        staff = world.agency_staff.get(agency.pk)
        if staff is None:
            continue
        year = world.current.year
        pairs.append(
            copy_run(
                template,
                title=f"{year}年{agency.agency_scope_detail}用户满意度测评（{template.model_name.upper()} 模型）",
                organisation=agency,
                by=staff,
                year=year,
                n_rows=template.dataset.n_rows,
                at=world.now - timedelta(days=world.rng.randrange(20, 200)),
            )
        )
        copied.append(template)
    return 2 * len(save_runs(pairs, copied))


def committee() -> Organisation:
    return Organisation.objects.filter(kind=OrgKind.COMMITTEE).order_by("pk").first()
