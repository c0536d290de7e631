"""Resumability: a manifest of finished steps, keyed by a hash of their config and input.

A step's key is SHA-256 over its name, its options and its input's identity (the previous
step's output hash, or for the read step the list of sources with sizes and modification
times). A step whose key matches a manifest entry whose output files still exist with the
recorded sizes is skipped on re-run. Outputs are written to a temporary name and renamed only
when complete, so an interrupted step is simply run again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, Field

from lyceum.data.stats import StepStats

MANIFEST_NAME = "manifest.json"


class OutputFile(BaseModel):
    path: str = Field(description="Relative to the pipeline's output directory.")
    sha256: str
    size: int


class StepEntry(BaseModel):
    index: int
    name: str
    key: str
    outputs: list[OutputFile]
    stats: StepStats

    @property
    def output_hash(self) -> str:
        digest = hashlib.sha256()
        for out in self.outputs:
            digest.update(f"{out.path}\0{out.sha256}\n".encode())
        return digest.hexdigest()


class Manifest(BaseModel):
    pipeline: str = ""
    steps: list[StepEntry] = Field(default_factory=list)

    @classmethod
    def load(cls, directory: Path) -> Manifest:
        path = directory / MANIFEST_NAME
        if not path.exists():
            return cls()
        try:
            return cls.model_validate_json(path.read_text(encoding="utf-8"))
        except ValueError:
            return cls()  # an unreadable manifest only costs a re-run

    def save(self, directory: Path) -> None:
        tmp = directory / f".{MANIFEST_NAME}.tmp"
        tmp.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        os.replace(tmp, directory / MANIFEST_NAME)

    def finished(self, index: int, key: str, directory: Path) -> StepEntry | None:
        """The entry for a step that already ran with this key and whose outputs are intact."""
        for entry in self.steps:
            if entry.index == index and entry.key == key:
                intact = all(
                    (directory / o.path).is_file() and (directory / o.path).stat().st_size == o.size
                    for o in entry.outputs
                )
                return entry if intact else None
        return None

    def record(self, entry: StepEntry) -> None:
        self.steps = [s for s in self.steps if s.index != entry.index] + [entry]
        self.steps.sort(key=lambda s: s.index)


def step_key(name: str, options_json: str, input_identity: str) -> str:
    digest = hashlib.sha256()
    for part in (name, options_json, input_identity):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def sources_identity(listing: list[dict[str, Any]]) -> str:
    """Identity of raw inputs: each source's path, size and modification time."""
    digest = hashlib.sha256()
    for item in listing:
        path = Path(item["path"])
        stat = path.stat() if path.exists() else None
        size, mtime = (stat.st_size, stat.st_mtime_ns) if stat else (-1, -1)
        digest.update(json.dumps([item["path"], item["format"], size, mtime]).encode())
    return digest.hexdigest()


class HashingWriter:
    """A text file written under a temporary name, hashed as written, renamed on `commit`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp = path.with_name(f".{path.name}.partial")
        self._fh: IO[bytes] = self._tmp.open("wb")
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8", "surrogatepass")
        self._digest.update(data)
        self._fh.write(data)
        self.size += len(data)

    def commit(self, root: Path) -> OutputFile:
        self._fh.close()
        os.replace(self._tmp, self.path)
        return OutputFile(
            path=str(self.path.relative_to(root)), sha256=self._digest.hexdigest(), size=self.size
        )

    def abort(self) -> None:
        self._fh.close()
        self._tmp.unlink(missing_ok=True)


def file_output(path: Path, root: Path) -> OutputFile:
    """Hash a file some other function wrote (e.g. deduplicate_file's output)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return OutputFile(
        path=str(path.relative_to(root)), sha256=digest.hexdigest(), size=path.stat().st_size
    )
