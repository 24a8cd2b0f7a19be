"""How long the Training page's default run takes to learn its task, on 2 and on 1 CPU threads.

``python bench/training.py [--seeds 5] [--threads 2 1]`` trains the default settings (reverse, L = 8,
d_model 32, 300 Adam steps at lr 0.001, batch 128) once per seed and thread count, after one warm-up run,
and prints per run and as medians over the seeds:

* **time to 99%**: seconds from the start of ``core.training.train`` until the first snapshot (every 6
  steps) whose held-out sequence accuracy is at least 99%: model setup, the training steps and every
  evaluation of the 1,000 held-out sequences up to then, as the page's own clock measures it;
* **step at 99%**: that snapshot's step;
* **whole run**: all 300 steps and 51 evaluations;
* **final**: held-out sequence accuracy (every position right) after the last step.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.training import TrainingSettings, train

TARGET = 0.99


def measure(seed: int) -> tuple[float, int, float, float]:
    """(seconds to TARGET, step at TARGET, seconds for the whole run, final held-out sequence accuracy)."""
    run = train(TrainingSettings(seed=seed))
    reached = run.first_snapshot_reaching(TARGET)
    if reached is None:
        return float("inf"), -1, run.elapsed_seconds, run.final_sequence_accuracy
    return float(run.seconds[reached]), int(run.steps[reached]), run.elapsed_seconds, run.final_sequence_accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[2, 1])
    args = parser.parse_args()
    settings = TrainingSettings()
    print(f"default settings: {settings}")
    for threads in args.threads:
        torch.set_num_threads(threads)
        train(TrainingSettings(seed=10_000, steps=50))  # warm-up: first-call allocations and kernel selection
        rows = [measure(seed) for seed in range(args.seeds)]
        print(f"\n{threads} thread(s)")
        print("seed  time to 99%  step at 99%  whole run  final held-out sequence accuracy")
        for seed, (seconds, step, whole, final) in enumerate(rows):
            print(f"{seed:>4}  {seconds:>9.3f} s  {step:>11}  {whole:>7.3f} s  {final:.1%}")
        print(
            f"median  {statistics.median(r[0] for r in rows):>7.3f} s  {statistics.median(r[1] for r in rows):>11}  "
            f"{statistics.median(r[2] for r in rows):>7.3f} s  worst final {min(r[3] for r in rows):.1%}"
        )


if __name__ == "__main__":
    main()
