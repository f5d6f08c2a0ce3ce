"""Stand-in job handlers for tests/common/test_jobs*.py (named by path, as the real ones are)."""

import time

CALLS: list[tuple] = []


def slow(object_id: int, seconds: float = 0.4) -> str:
    CALLS.append(("run", object_id))
    time.sleep(seconds)
    return "slept"


def quick(object_id: int) -> str:
    CALLS.append(("run", object_id))
    return "ok"


def boom(object_id: int) -> str:
    CALLS.append(("run", object_id))
    raise RuntimeError("the handler broke")


def failed(object_id: int, message: str, **params) -> None:
    CALLS.append(("failed", object_id, message))
