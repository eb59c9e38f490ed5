"""Worker processes (parallel.made_in_order): results in order, made ahead within the bounds given."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

import pytest

from partnerkg import parallel


def _submitted_before_the_first_is_given(monkeypatch, **bounds) -> tuple[int, list[int]]:
    submitted = []
    submit = ProcessPoolExecutor.submit
    monkeypatch.setattr(ProcessPoolExecutor, "submit", lambda pool, *a: submitted.append(a[1]) or submit(pool, *a))
    made = parallel.made_in_order(pow, [(2, n) for n in range(40)], processes=2, **bounds)
    first = next(made)
    return len(submitted), [first, *made]


@pytest.mark.parametrize(("bounds", "ahead"), [
    ({}, 5),  # two for each worker beyond the one given back
    ({"sizes": [10] * 40, "ahead": 100}, 10),  # more while their sizes add up to 100 at most
    ({"sizes": [10] * 40, "ahead": 1_000}, 40),
    ({"sizes": [500] * 40, "ahead": 100}, 5),  # each too big: two for each worker all the same
])
def test_results_come_in_order_made_ahead_within_the_bounds(monkeypatch, bounds, ahead):
    submitted, results = _submitted_before_the_first_is_given(monkeypatch, **bounds)
    assert submitted == ahead
    assert results == [2 ** n for n in range(40)]


def _pid_and(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def test_the_work_is_done_by_other_processes_and_in_this_one_below_at_least():
    made = list(parallel.made_in_order(_pid_and, [(n,) for n in range(parallel.AT_LEAST)], processes=2))
    assert [n for _, n in made] == [n * n for n in range(parallel.AT_LEAST)]
    assert os.getpid() not in {pid for pid, _ in made}
    fewer = list(parallel.made_in_order(_pid_and, [(n,) for n in range(parallel.AT_LEAST - 1)], processes=2))
    assert {pid for pid, _ in fewer} == {os.getpid()}


def test_a_failure_in_a_worker_is_raised_here():
    with pytest.raises(ZeroDivisionError):
        list(parallel.made_in_order(divmod, [(1, n) for n in range(10, -1, -1)], processes=2))
