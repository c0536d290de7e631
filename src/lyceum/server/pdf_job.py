"""A research job's PDF, compiled in a child process the server can kill as a whole.

TeX runs for up to minutes. Run on the server's event loop it stops HTTP, SSE and the job
leases' heartbeat (a lapsed lease lets a second server take the job over). So the job
compiles in a child Python process, started in a session of its own, and on the deadline
or a cancel the server signals that process group: TERM first, on which the child unwinds
and `compile_pdf` kills the process group TeX runs in (its own), then KILL for whatever is
left after a grace period. No `pdflatex` outlives the job. The child calls
`lyceum.research.pdf.compile_pdf` and prints its outcome as one JSON line.

Run as `python -m lyceum.server.pdf_job OUT_DIR ATTEMPTS PASS_TIMEOUT_S`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from pathlib import Path

from pydantic import BaseModel, Field

TERM_GRACE_S = 2.0


class PdfOutcome(BaseModel):
    ok: bool
    message: str
    log: list[str] = Field(default_factory=list)


def _signal_group(pgid: int, sig: signal.Signals) -> bool:
    """Signal every process of the group; False once none is left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    return True


async def _end_group(proc: asyncio.subprocess.Process) -> None:
    """TERM the group (the child unwinds, and `compile_pdf` kills TeX's own group on the
    way out), then KILL whatever is left of it."""
    if _signal_group(proc.pid, signal.SIGTERM):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(proc.wait(), TERM_GRACE_S)
    _signal_group(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        await proc.wait()


async def compile_in_child(
    out_dir: Path, *, attempts: int, timeout_s: float, pass_timeout_s: float = 120.0
) -> PdfOutcome:
    """Compile `out_dir/paper.tex` in a child process group, within `timeout_s` in all."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "lyceum.server.pdf_job",
        str(out_dir),
        str(attempts),
        str(min(pass_timeout_s, timeout_s)),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        async with asyncio.timeout(timeout_s):
            out, _ = await proc.communicate()
    except TimeoutError:
        await _end_group(proc)
        return PdfOutcome(ok=False, message=f"PDF compilation stopped after {timeout_s:g} s")
    except BaseException:
        await asyncio.shield(_end_group(proc))
        raise
    # A TeX child that outlived its parent would hold the build folder: end the group.
    _signal_group(proc.pid, signal.SIGKILL)
    lines = out.decode("utf-8", errors="replace").strip().splitlines()
    try:
        return PdfOutcome.model_validate_json(lines[-1])
    except (IndexError, ValueError):
        return PdfOutcome(ok=False, message=f"PDF compiler process exited with {proc.returncode}")


def _terminate(_signum: int, _frame: object) -> None:
    # An exception unwinds `compile_pdf`, whose clean-up kills the TeX process group.
    raise SystemExit(143)


def main(argv: list[str]) -> int:
    from lyceum.research.pdf import compile_pdf

    signal.signal(signal.SIGTERM, _terminate)
    out_dir, attempts, timeout_s = Path(argv[0]), int(argv[1]), float(argv[2])
    result = compile_pdf(out_dir, attempts=attempts, timeout_s=timeout_s)
    outcome = PdfOutcome(ok=result.ok, message=result.message, log=list(result.log))
    print(json.dumps(outcome.model_dump()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
