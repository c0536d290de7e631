"""Training on a CPU: defaults that fit a laptop, a measured time estimate before the run,
progress with ETA, and a wall-clock budget.

The estimate is not a guess from a table: one micro-batch of the run's longest examples
goes forward and backward through the adapted model, timed warm and scaled to the mean
row (see `estimate`), before the trainer starts; an optimiser step is `grad_accum` of those (DPO: chosen and rejected, plus the reference
pass). A run given a time budget shortens its step count to fit the estimate, and stops
(saving a checkpoint) if it overruns anyway.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any

from pydantic import BaseModel

from lyceum.progress import ProgressCallback, ProgressEvent, ignore_progress

CPU_BATCH_SIZE = 1
CPU_GRAD_ACCUM = 4
CPU_MAX_LENGTH = 384
CPU_SAVE_STEPS = 2
CPU_TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj"]
DPO_REFERENCE_SHARE = 0.35
"""The reference model's forward pass, as a share of one forward + backward."""


def cpu_threads() -> int:
    """Torch threads: `LYCEUM_TRAIN_THREADS`, else every core but one (the machine stays
    usable, and on a shared 2-core box one preempted thread stalls the other's matmuls)."""
    configured = os.environ.get("LYCEUM_TRAIN_THREADS")
    if configured and configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, (os.cpu_count() or 1) - 1)


class TimeEstimate(BaseModel):
    """What the run will cost, measured on this machine just before it starts."""

    seconds_per_micro_batch: float
    micro_batches_per_step: int
    steps: int
    planned_steps: int
    threads: int

    @property
    def seconds_per_step(self) -> float:
        return self.seconds_per_micro_batch * self.micro_batches_per_step

    @property
    def total_seconds(self) -> float:
        return self.seconds_per_step * self.steps

    def describe(self) -> str:
        capped = (
            f" (capped from {self.planned_steps} by the time budget)"
            if (self.steps < self.planned_steps)
            else ""
        )
        return (
            f"estimate: {self.steps} steps{capped} x {self.seconds_per_step:.1f} s "
            f"= {_duration(self.total_seconds)} on {self.threads} thread(s) "
            f"(one micro-batch measured at {self.seconds_per_micro_batch:.2f} s)"
        )


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def planned_steps(
    n_rows: int, batch_size: int, grad_accum: int, epochs: float, max_steps: int
) -> int:
    """Optimiser steps the trainer will take (its own arithmetic: whole batches per epoch)."""
    if max_steps > 0:
        return max_steps
    per_epoch = max(1, math.ceil(n_rows / batch_size) // grad_accum)
    return max(1, math.ceil(per_epoch * epochs))


def measure_micro_batch(model: Any, input_ids: Any) -> float:
    """Seconds for one forward + backward of `input_ids` (gradients are discarded)."""
    model.train()
    started = time.perf_counter()
    out = model(input_ids=input_ids, labels=input_ids)
    out.loss.backward()
    elapsed = time.perf_counter() - started
    model.zero_grad(set_to_none=True)
    return elapsed


def estimate(
    model: Any,
    input_ids: Any,
    *,
    steps: int,
    grad_accum: int,
    dpo: bool,
    max_seconds: float | None = None,
    mean_tokens: float | None = None,
) -> TimeEstimate:
    """Time one micro-batch and scale it to the run; with `max_seconds`, the step count
    that fits (at least one).

    The micro-batch is the run's longest rows, timed warm: the first pass pays one-time
    costs (SmolLM2: 4.25 s cold, 3.3-3.5 s warm). When a micro-batch is one row, its time
    is scaled to the mean row (`mean_tokens`): a pass costs about its tokens, and the
    longest row of the loop's own data was twice the mean, so the cold longest-row
    estimate ran 1.9-2.6x the measured steps and a time budget cut the run short."""
    measure_micro_batch(model, input_ids)
    seconds = measure_micro_batch(model, input_ids)
    width = int(input_ids.shape[-1])
    if mean_tokens is not None and int(input_ids.shape[0]) == 1 and width > 0:
        seconds *= min(1.0, mean_tokens / width)
    if dpo:
        # chosen and rejected go through together (twice the rows), plus the reference pass
        seconds *= 2 * (1 + DPO_REFERENCE_SHARE)
    fitted = steps
    if max_seconds is not None:
        fitted = max(1, min(steps, int(max_seconds // (seconds * grad_accum))))
    return TimeEstimate(
        seconds_per_micro_batch=seconds,
        micro_batches_per_step=grad_accum,
        steps=fitted,
        planned_steps=steps,
        threads=_torch_threads(),
    )


def _torch_threads() -> int:
    import torch

    return int(torch.get_num_threads())


PROGRESS_TASK = "train"


def progress_callback(
    total_steps: int,
    *,
    max_seconds: float | None = None,
    progress: ProgressCallback | None = None,
) -> Any:
    """A transformers TrainerCallback reporting each step to `progress` (an "advance" whose
    message is the step, loss, s/step and ETA), and stopping with a checkpoint once
    `max_seconds` of training have passed."""
    from transformers import TrainerCallback

    emit = progress or ignore_progress

    class Progress(TrainerCallback):  # type: ignore[misc]
        def __init__(self) -> None:
            self.started = 0.0
            self.first_step = 0
            self.loss: float | None = None

        def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self.started = time.perf_counter()
            self.first_step = int(state.global_step)
            emit(ProgressEvent(kind="start", task=PROGRESS_TASK, total=total_steps))

        def on_log(self, args: Any, state: Any, control: Any, logs: Any = None, **kw: Any) -> None:
            if logs and "loss" in logs:
                self.loss = float(logs["loss"])

        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            elapsed = time.perf_counter() - self.started
            done = int(state.global_step) - self.first_step
            per_step = elapsed / max(done, 1)
            left = max(0, total_steps - int(state.global_step)) * per_step
            loss = f" loss {self.loss:.4f}" if self.loss is not None else ""
            line = (
                f"step {state.global_step}/{total_steps}{loss} {per_step:.1f} s/step "
                f"elapsed {_duration(elapsed)} ETA {_duration(left)}"
            )
            emit(ProgressEvent(kind="advance", task=PROGRESS_TASK, n=1, message=line))
            if max_seconds is not None and elapsed >= max_seconds:
                budget = f"time budget of {_duration(max_seconds)} reached; saving and stopping"
                emit(ProgressEvent(kind="note", task=PROGRESS_TASK, message=budget))
                control.should_save = True
                control.should_training_stop = True

    return Progress()
