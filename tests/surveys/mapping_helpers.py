"""Data sets whose columns are not named after the model's indicators, for the mapping tests."""

import csv
import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile

from manyi import measurement
from manyi.accounts.roles import Role
from manyi.surveys import services


def renamed_csv(
    preset="ecsi", *, n=200, seed=5, rename=None, extra=None, groups=0, complaint=None
) -> bytes:
    """Simulated answers to `preset` with column i named `rename(i, indicator)` (default: the
    indicator itself); `extra` is {column: list of cells} appended; `complaint` a list of
    yes/no cells in a "投诉" column."""
    sim = measurement.simulate(preset, n=n, seed=seed, groups=groups)
    rename = rename or (lambda _i, name: name)
    header = [rename(i, c) for i, c in enumerate(sim.columns)]
    extra = dict(extra or {})
    if complaint is not None:
        extra["投诉"] = complaint
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*(["企业"] if groups else []), *header, *extra])
    for i in range(n):
        cells = [
            "" if math.isnan(sim.data[c][i]) else str(int(sim.data[c][i])) for c in sim.columns
        ]
        prefix = [f"企业{sim.groups[i]}"] if groups else []
        writer.writerow([*prefix, *cells, *(values[i] for values in extra.values())])
    return out.getvalue().encode("utf-8")


def q_names(i: int, _name: str) -> str:
    return f"Q{i + 1}"


def upload(world, content: bytes, *, role=Role.COMMITTEE_STAFF, dictionary=None, **kwargs):
    """`dictionary`: {column: wording} uploaded as the data dictionary."""
    dictionary_upload = None
    if dictionary:
        text = "变量名,说明\n" + "".join(f"{k},{v}\n" for k, v in dictionary.items())
        dictionary_upload = SimpleUploadedFile("dict.csv", text.encode())
    options = {
        "title": "映射测试",
        "scope": "industry",
        "industry": "家电",
        "survey_year": 2026,
        **kwargs,
    }
    return services.upload_dataset(
        by=world.users[role],
        upload=SimpleUploadedFile("data.csv", content),
        dictionary_upload=dictionary_upload,
        **options,
    )


def preset_spec(name: str) -> dict:
    return measurement.load_preset(name).to_dict()
