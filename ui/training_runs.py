"""Training runs shared by every session: each settings trains once, in a background thread.

A page asks for a run with ``request(settings)`` and gets a job: finished if any session trained these
settings before, otherwise the one job training them now (two sessions asking at once share it). The
training runs in a worker thread, not in the page's script, so a rerun (a slider moved mid-training)
does not throw the work away: the next run finds the job and keeps waiting on it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import streamlit as st

from core.induction import InductionProgress, InductionRun, InductionSettings, train_induction
from core.training import Progress, TrainingRun, TrainingSettings, train
from ui.memory import give_freed_memory_back

MAX_RUNS = 128  # finished runs kept (a run is ~50 kB); the least recently asked for goes first
WORKERS = 1  # one training at a time leaves the second core to every session's page reruns

Settings = TrainingSettings | InductionSettings
Trainer = Callable[[Settings, Callable[[Progress | InductionProgress], None]], TrainingRun | InductionRun]


def train_any(settings: Settings, report: Callable) -> TrainingRun | InductionRun:
    """Either lesson's training: the permutation tasks (core.training) or induction heads (core.induction)."""
    if isinstance(settings, InductionSettings):
        return train_induction(settings, report)
    return train(settings, report)


class TrainingJob:
    """One settings' training: its latest progress while it runs, then its run."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.latest: Progress | InductionProgress | None = (
            None  # replaced whole by the worker, so readers see one consistent report
        )
        self.future: Future[TrainingRun | InductionRun] = Future()

    def done(self) -> bool:
        return self.future.done()

    def result(self, timeout: float | None = None) -> TrainingRun | InductionRun:
        return self.future.result(timeout)

    def report(self, progress: Progress | InductionProgress) -> None:
        self.latest = progress


class TrainingRuns:
    """Jobs by settings (running and finished), guarded by one lock."""

    def __init__(self, trainer: Trainer = train_any, max_runs: int = MAX_RUNS, workers: int = WORKERS) -> None:
        self._trainer = trainer
        self._max_runs = max_runs
        self._lock = threading.Lock()
        self._jobs: OrderedDict[Settings, TrainingJob] = OrderedDict()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="training")
        self.trainings_started = 0

    def request(self, settings: Settings) -> tuple[TrainingJob, bool]:
        """The job for ``settings`` and whether it had already finished (a cached run)."""
        with self._lock:
            job = self._jobs.get(settings)
            if job is not None:
                self._jobs.move_to_end(settings)
                return job, job.done()
            job = TrainingJob(settings)
            self._jobs[settings] = job
            self.trainings_started += 1
            self._evict_finished()
        self._executor.submit(self._work, job)
        return job, False

    def _work(self, job: TrainingJob) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        try:
            run = self._trainer(job.settings, job.report)
        except BaseException as error:  # handed to every waiting page; the next request trains again
            with self._lock:
                self._jobs.pop(job.settings, None)
            job.future.set_exception(error)
            return
        job.future.set_result(run)
        give_freed_memory_back()

    def _evict_finished(self) -> None:
        finished = [settings for settings, job in self._jobs.items() if job.done()]
        for settings in finished[: max(0, len(finished) - self._max_runs)]:
            del self._jobs[settings]


@st.cache_resource(show_spinner=False)
def shared_training_runs() -> TrainingRuns:
    """The process's one ``TrainingRuns``: every session and every rerun sees the same jobs."""
    return TrainingRuns()
