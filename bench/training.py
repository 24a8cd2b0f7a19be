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

``python bench/training.py --induction [--seeds 5] [--threads 1]`` trains the induction task's shipped settings
(``core.induction.InductionSettings()``) instead and prints, per seed and as medians:

* **time to stripe**: seconds from the start of ``core.induction.train_induction`` until the first snapshot
  whose best layer-2 head puts at least ``STRIPE`` (50%) of its weight on the induction keys;
* **loss drop**: the first step whose loss (averaged with its 5 neighbours each side) is below half the
  plateau so far (``LossDrop``), the seconds at that step, the plateau, the loss there and at the end;
* **previous-token score** of the best layer-1 head and **induction score** of the best layer-2 head at the end;
* **whole run**: every step and snapshot.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.induction import STRIPE, InductionSettings, train_induction
from core.training import TrainingSettings, train

TARGET = 0.99


def measure(seed: int) -> tuple[float, int, float, float]:
    """(seconds to TARGET, step at TARGET, seconds for the whole run, final held-out sequence accuracy)."""
    run = train(TrainingSettings(seed=seed))
    reached = run.first_snapshot_reaching(TARGET)
    if reached is None:
        return float("inf"), -1, run.elapsed_seconds, run.final_sequence_accuracy
    return float(run.seconds[reached]), int(run.steps[reached]), run.elapsed_seconds, run.final_sequence_accuracy


def measure_induction(seed: int) -> dict[str, float]:
    run = train_induction(InductionSettings(seed=seed))
    first = run.first_snapshot_with(STRIPE)
    stripe_step = None if first is None else int(run.snapshot_steps[first])
    drop = run.drop()
    return {
        "stripe_seconds": float("inf") if stripe_step is None else float(run.seconds[stripe_step]),
        "stripe_step": -1 if stripe_step is None else stripe_step,
        "drop_step": -1 if drop.step is None else drop.step,
        "drop_seconds": float("inf") if drop.step is None else float(run.seconds[drop.step]),
        "plateau": drop.plateau,
        "at_drop": drop.at_drop,
        "final": drop.final,
        "previous": float(run.previous_token_scores[-1].max()),
        "induction": float(run.induction_scores[-1].max()),
        "whole": run.elapsed_seconds,
    }


def main_induction(seeds: int, thread_counts: list[int]) -> None:
    print(f"induction settings: {InductionSettings()}")
    with open("/proc/loadavg") as file:
        print(f"load average before: {file.read().strip()}")
    for threads in thread_counts:
        torch.set_num_threads(threads)
        train_induction(InductionSettings(seed=10_000, steps=50))  # warm-up
        rows = [measure_induction(seed) for seed in range(seeds)]
        print(f"\n{threads} thread(s)")
        print("seed  stripe at (s, step)   loss drop at (s, step)   plateau → at drop → end   prev.  ind.  whole")
        for seed, r in enumerate(rows):
            print(
                f"{seed:>4}  {r['stripe_seconds']:>7.2f} s {r['stripe_step']:>6}   {r['drop_seconds']:>9.2f} s "
                f"{r['drop_step']:>6}   {r['plateau']:.2f} → {r['at_drop']:.2f} → {r['final']:.2f}   "
                f"{r['previous']:>5.1%}  {r['induction']:>5.1%}  {r['whole']:.2f} s"
            )
        median = {name: statistics.median(r[name] for r in rows) for name in rows[0]}
        print(
            f"median  stripe {median['stripe_seconds']:.2f} s (step {median['stripe_step']:.0f}), "
            f"drop {median['drop_seconds']:.2f} s (step {median['drop_step']:.0f}), whole {median['whole']:.2f} s"
        )
    with open("/proc/loadavg") as file:
        print(f"load average after: {file.read().strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[2, 1])
    parser.add_argument("--induction", action="store_true", help="the induction task instead of the default run")
    args = parser.parse_args()
    if args.induction:
        main_induction(args.seeds, args.threads)
        return
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
