"""Where a step's batch function runs: a local process pool, or Ray Data.

Every parallel step is `fn(lines) -> result` over batches of a JSONL file's lines (the previous
step's output, or the list of sources for the read step). `map_file` yields the results in file
order, so the driver writes outputs and counts drops the same way whichever executor ran them.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar

from lyceum.data.batching import batched, default_workers, map_batches, process_pool
from lyceum.errors import ConfigError, MissingDependencyError

R = TypeVar("R")


class Executor(Protocol):
    name: str

    def map_file(self, fn: Callable[[list[str]], R], path: Path, *, batch_size: int) -> Iterator[R]:
        """`fn` over consecutive batches of the file's non-blank lines, results in order."""
        ...

    def close(self) -> None:
        """Release workers held between calls."""
        ...


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield line


class LocalExecutor:
    """Batches on a pool of `workers` processes (in-process when workers is 1). The pool is
    started on first use and kept for later steps until `close()`."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None

    def map_file(self, fn: Callable[[list[str]], R], path: Path, *, batch_size: int) -> Iterator[R]:
        if self.workers > 1 and self._pool is None:
            self._pool = process_pool(self.workers)
        batches = batched(_lines(path), batch_size)
        yield from map_batches(fn, batches, workers=self.workers, pool=self._pool)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _PickledBatch:
    """Ray Data batch UDF: runs `fn` on a batch of lines, returns its pickled result as one row."""

    def __init__(self, fn: Callable[[list[str]], Any]) -> None:
        self.fn = fn

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[bytes]]:
        lines = [str(line) for line in batch["text"]]
        return {"result": [pickle.dumps(self.fn(lines))]}


class RayExecutor:
    """Runs batches as Ray Data `map_batches` over `read_text` of the file.

    Connects to `address` (a running cluster, e.g. "auto") or starts a local Ray instance with
    `num_cpus` CPUs. Results stream back to the driver in file order.
    """

    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        try:
            import ray
        except ImportError as exc:
            raise MissingDependencyError("ray", "ray", "The Ray executor") from exc
        self._ray = ray
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if address:
                kwargs["address"] = address
            else:
                kwargs["num_cpus"] = num_cpus or default_workers()
            ray.init(**kwargs)

    def map_file(self, fn: Callable[[list[str]], R], path: Path, *, batch_size: int) -> Iterator[R]:
        import ray.data

        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        # Ray Data logs every dataset's plan at INFO; the pipeline reports progress itself.
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        if path.stat().st_size == 0:
            return
        ds = ray.data.read_text(str(path), drop_empty_lines=True)
        ds = ds.map_batches(_PickledBatch(fn), batch_size=batch_size, batch_format="numpy")
        for row in ds.iter_rows():
            yield pickle.loads(row["result"])

    def close(self) -> None:
        """Leaves Ray running: the driver may use it for more work; `ray.shutdown()` ends it."""


def make_executor(
    kind: str, *, workers: int | None = None, ray_address: str | None = None
) -> Executor:
    """The executor a pipeline config names: "local" or "ray"."""
    if kind == "local":
        return LocalExecutor(workers)
    if kind == "ray":
        return RayExecutor(address=ray_address, num_cpus=workers)
    raise ConfigError(f"unknown executor {kind!r}", hint="Use executor: local or executor: ray.")
