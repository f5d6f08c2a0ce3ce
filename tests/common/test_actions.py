"""Every action code the source can write to the activity log has a label in words."""

import ast
from pathlib import Path

from manyi.applications.states import Status
from manyi.common.actions import ACTION_LABELS, action_label
from manyi.surveys.models import RunStatus

SRC = Path(__file__).resolve().parents[2] / "src" / "manyi"

# f"<prefix>{value}" codes: the values the placeholder can take.
EXPANSIONS = {
    "application.": [s.value for s in Status],
    # surveys.services._finish logs only the two end states of a run.
    "measurement.": [RunStatus.DONE.value, RunStatus.FAILED.value],
}


def _module_dicts(tree: ast.Module) -> dict[str, ast.Dict]:
    found = {}
    for node in tree.body:
        target = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign):
            target = node.target
        if isinstance(target, ast.Name) and isinstance(node.value, ast.Dict):
            found[target.id] = node.value
    return found


def _codes(value: ast.expr, dicts: dict[str, ast.Dict], where: str) -> list[str]:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, ast.IfExp):
        return _codes(value.body, dicts, where) + _codes(value.orelse, dicts, where)
    if isinstance(value, ast.JoinedStr):
        prefix = "".join(part.value for part in value.values if isinstance(part, ast.Constant))
        assert prefix in EXPANSIONS, f"{where}: add the values of f'{prefix}{{…}}' to EXPANSIONS"
        return [prefix + v for v in EXPANSIONS[prefix]]
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
        table = dicts.get(value.value.id)
        assert table is not None, f"{where}: {value.value.id} is not a module-level dict"
        return [c for v in table.values for c in _codes(v, dicts, where)]
    if isinstance(value, ast.Name):
        return []  # a parameter handed on: its callers' literals are collected where written
    raise AssertionError(f"{where}: cannot read the action code {ast.unparse(value)}")


def used_action_codes() -> dict[str, str]:
    """Every action code passed as `action=` in the source, with where it is written."""
    codes = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        dicts = _module_dicts(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument":
                continue  # argparse's action="store_true"
            for keyword in node.keywords:
                if keyword.arg == "action":
                    where = f"{path.relative_to(SRC)}:{node.lineno}"
                    for code in _codes(keyword.value, dicts, where):
                        codes.setdefault(code, where)
    return codes


def test_the_collector_finds_the_codes_written_in_each_way():
    codes = used_action_codes()
    assert "ban.lift" in codes  # a literal
    assert "campaign.publish" in codes  # a value of MOVE_ACTIONS
    assert "organisation.agency_decline" in codes  # a branch of a conditional
    assert "application.recommended" in codes  # f"application.{to}"
    assert "measurement.failed" in codes  # f"measurement.{status}"


def test_every_action_code_used_in_the_source_has_a_label():
    missing = {
        code: where for code, where in used_action_codes().items() if code not in ACTION_LABELS
    }
    assert missing == {}


def test_a_label_is_words_not_the_code():
    assert action_label("campaign.quota_set") == "设置推荐名额"
    assert action_label("appraisal.download_scan") == "下载建设单位评价盖章页"
