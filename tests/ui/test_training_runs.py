"""The process-wide training cache: one training per settings, shared by concurrent askers, kept afterwards,
progress visible while it runs, failures not cached. A fake trainer stands in for ``core.training.train``."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from core.training import Progress, TrainingSettings
from ui.training_runs import TrainingRuns


class GatedTrainer:
    """Counts its calls; each call reports one progress and then blocks until ``release`` is set."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[TrainingSettings] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.fail = fail

    def __call__(self, settings: TrainingSettings, on_progress) -> object:
        self.calls.append(settings)
        on_progress(Progress(step=1, steps=settings.steps, held_out_sequence_accuracy=0.5, elapsed_seconds=0.1))
        self.started.set()
        assert self.release.wait(10), "the test never released the trainer"
        if self.fail:
            raise RuntimeError("training failed")
        return ("run", settings)


def test_two_sessions_asking_at_once_share_one_training() -> None:
    trainer = GatedTrainer()
    runs = TrainingRuns(trainer)
    settings = TrainingSettings(seed=5)
    with ThreadPoolExecutor(8) as sessions:
        asked = list(sessions.map(lambda _: runs.request(settings), range(8)))
        assert trainer.started.wait(10)
        jobs = {id(job) for job, _ in asked}
        assert len(jobs) == 1 and not any(cached for _, cached in asked)
        job = asked[0][0]
        assert not job.done()
        assert job.latest == Progress(1, settings.steps, 0.5, 0.1)  # what a waiting page shows
        trainer.release.set()
        assert job.result(10) == ("run", settings)
    assert trainer.calls == [settings]
    assert runs.trainings_started == 1


def test_a_finished_run_is_served_from_the_cache() -> None:
    trainer = GatedTrainer()
    trainer.release.set()
    runs = TrainingRuns(trainer)
    first, cached = runs.request(TrainingSettings())
    assert not cached
    first.result(10)
    again, cached = runs.request(TrainingSettings())
    assert cached and again is first
    other, cached = runs.request(TrainingSettings(seed=1))
    assert not cached and other is not first
    other.result(10)
    assert runs.trainings_started == 2 and len(trainer.calls) == 2


def test_the_least_recently_asked_runs_are_evicted() -> None:
    trainer = GatedTrainer()
    trainer.release.set()
    runs = TrainingRuns(trainer, max_runs=2)
    for seed in (0, 1):
        runs.request(TrainingSettings(seed=seed))[0].result(10)
    runs.request(TrainingSettings(seed=0))  # asked again: now the most recent
    runs.request(TrainingSettings(seed=2))[0].result(10)
    runs.request(TrainingSettings(seed=3))[0].result(10)  # three finished runs when this one was asked: one goes
    assert runs.request(TrainingSettings(seed=0))[1] is True
    job, cached = runs.request(TrainingSettings(seed=1))
    assert not cached
    job.result(10)
    assert [s.seed for s in trainer.calls] == [0, 1, 2, 3, 1]


def test_a_failed_training_reaches_its_waiters_and_is_not_cached() -> None:
    trainer = GatedTrainer(fail=True)
    runs = TrainingRuns(trainer)
    job, _ = runs.request(TrainingSettings())
    waiter, _ = runs.request(TrainingSettings())
    trainer.release.set()
    with pytest.raises(RuntimeError, match="training failed"):
        job.result(10)
    with pytest.raises(RuntimeError, match="training failed"):
        waiter.result(10)
    trainer.fail = False
    retry, cached = runs.request(TrainingSettings())
    assert not cached and retry is not job
    assert retry.result(10) == ("run", TrainingSettings())
    assert len(trainer.calls) == 2
