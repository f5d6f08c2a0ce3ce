"""Reads shared by the parts of one GET request (common.context.once_per_request)."""

from manyi.common.context import once_per_request, shared_reads


def counter():
    calls = []

    def read():
        calls.append(1)
        return len(calls)

    return read, calls


def test_a_get_reads_once_and_every_caller_gets_that_answer():
    read, calls = counter()
    with shared_reads(True):
        assert [once_per_request("x", read) for _ in range(3)] == [1, 1, 1]
    assert len(calls) == 1


def test_a_post_a_task_or_a_command_reads_every_time():
    read, calls = counter()
    with shared_reads(False):
        once_per_request("x", read)
        once_per_request("x", read)
    once_per_request("x", read)  # outside any request
    assert len(calls) == 3


def test_the_next_request_reads_afresh():
    read, calls = counter()
    for _request in range(2):
        with shared_reads(True):
            once_per_request("x", read)
    assert len(calls) == 2
