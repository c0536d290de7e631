"""paper.pdf: compile with latexmk (or pdflatex + bibtex), shell escape always off, and
repair the lines the log blames until it compiles or the attempts run out.

TeX runs confined (`tex_environment`, `_run`): kpathsea's paranoid reads and writes (nothing
outside the build folder), no latexmk rc files, its own process group killed whole at the
time limit (or when this process is stopped), and a size limit on every file it writes. The paper's fields are escaped before
(`lyceum.research.latex`); this is the second layer, for whatever escaping misses.

A repair first rewrites the offending line as plain escaped text (keeping its \\cite and
sectioning command), then, if the same line fails again, comments it out. A missing
package's \\usepackage line is removed. Every repair is recorded in the log returned.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lyceum.research.latex import escape

INSTALL_HINT = (
    "No TeX found, so no PDF was made; paper.tex and references.bib are ready. "
    "Install TeX Live (Debian/Ubuntu: apt-get install texlive-latex-base "
    "texlive-latex-recommended texlive-fonts-recommended latexmk) and run "
    "'latexmk -pdf -no-shell-escape paper.tex' in the output folder, or upload both files "
    "to Overleaf."
)
_LINE_ERROR = re.compile(r"^(?:\./)?paper\.tex:(\d+): (.*)$", re.MULTILINE)
_MISSING_FILE = re.compile(r"File `([^']+)\.sty' not found")
_KEEP = re.compile(r"\\cite\{[^}]*\}")
_HEAD = re.compile(r"^\s*(\\(?:section|subsection|item)\*?)(\{)?")
_UNDEFINED_CITATION = re.compile(r"Citation `([^']+)' (?:on page \d+ )?undefined")
_LIMIT = re.compile(r"timed out after|went past its output-size")
_BIBITEM = re.compile(r"\\bibitem(?:\[[^]]*\])?\{([^}]+)\}")


@dataclass
class CompileResult:
    ok: bool
    pdf: Path | None = None
    tool: str = ""
    attempts: int = 0
    log: list[str] = field(default_factory=list)
    message: str = ""
    bibitems: int = 0
    unresolved_citations: list[str] = field(default_factory=list)


def tex_tool() -> str | None:
    if shutil.which("latexmk") and shutil.which("pdflatex"):
        return "latexmk"
    if shutil.which("pdflatex"):
        return "pdflatex"
    return None


MAX_OUTPUT_BYTES = 64 * 1024 * 1024
"""No file a TeX process writes (PDF, log, captured output) may grow past this: a paper is
a few hundred kilobytes, and a runaway loop should not fill the disk."""
_CPU_SECONDS_SLACK = 5


def tex_environment() -> dict[str, str]:
    """The environment TeX runs in: the user's own (trusted; the document is what is
    hostile) with reading and writing confined to the build folder, whatever it said:
    kpathsea's paranoid `openin_any`/`openout_any` (no dot files, no parent folders, no
    absolute paths outside TEXMFOUTPUT), TEXMFOUTPUT and the output directory unset, and
    shell escape off. TeX's installation is still found through its search paths."""
    env = dict(os.environ)
    for name in ("TEXMFOUTPUT", "TEXMF_OUTPUT_DIRECTORY", "shell_escape_commands"):
        env.pop(name, None)
    env.update(openin_any="p", openout_any="p", shell_escape="f")
    return env


def _limit_child(cpu_seconds: int) -> Callable[[], None]:
    def apply() -> None:
        # Runs in the child between fork and exec: only system calls, no Python locks.
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT_BYTES, MAX_OUTPUT_BYTES))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))

    return apply


def _run(cmd: list[str], cwd: Path, timeout: float) -> tuple[int, str]:
    """Run one TeX command in its own process group, with the confined environment, a
    wall-clock `timeout` (the whole group is killed when it passes), a CPU limit and a size
    limit on every file it writes; its output is kept up to MAX_OUTPUT_BYTES."""
    out_path = cwd / f".{cmd[0]}-output.txt"
    with out_path.open("wb") as out:
        try:
            proc = subprocess.Popen(
                cmd,
                cwd=cwd,
                env=tex_environment(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_limit_child(int(timeout) + _CPU_SECONDS_SLACK),
            )
        except OSError as exc:
            return 127, f"{cmd[0]} could not start: {exc}"
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            return 124, f"{cmd[0]} timed out after {timeout:.0f}s; its process group was killed"
        finally:
            _kill_group(proc)  # latexmk's children outlive it when it is killed
    with out_path.open("rb") as fh:
        text = fh.read(MAX_OUTPUT_BYTES).decode("utf-8", errors="replace")
    out_path.unlink(missing_ok=True)
    if code in (-signal.SIGXFSZ, -signal.SIGXCPU):
        text += f"\n{cmd[0]} stopped: it went past its output-size or CPU limit"
    return code, text


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _compile_once(tool: str, build: Path, timeout: float) -> tuple[bool, str]:
    """One compile within `timeout` seconds in all (latexmk, or pdflatex, bibtex and two
    more pdflatex passes)."""
    deadline = time.monotonic() + timeout
    base = ["-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
    if tool == "latexmk":
        cmd = ["latexmk", "-norc", "-pdf", "-bibtex", *base, "paper.tex"]
        code, out = _run(cmd, build, timeout)
    else:
        out = ""
        code = 0
        for step in (
            ["pdflatex", *base, "paper.tex"],
            ["bibtex", "paper"],
            ["pdflatex", *base, "paper.tex"],
            ["pdflatex", *base, "paper.tex"],
        ):
            if step[0] == "bibtex" and "\\bibliography{" not in (build / "paper.tex").read_text():
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                code, step_out = 124, f"TeX timed out after {timeout:.0f}s"
            else:
                code, step_out = _run(step, build, left)
            out += step_out
            if code != 0 and step[0] != "bibtex":
                break
    log_file = build / "paper.log"
    log = _read_capped(log_file) if log_file.exists() else ""
    return code == 0 and (build / "paper.pdf").exists(), out + "\n" + log


def _read_capped(path: Path) -> str:
    with path.open("rb") as fh:
        return fh.read(MAX_OUTPUT_BYTES).decode("utf-8", errors="replace")


def sanitize_line(line: str) -> str:
    """The line as plain text: control sequences stripped, text escaped, \\cite kept."""
    head = _HEAD.match(line)
    prefix = ""
    rest = line
    if head:
        prefix = head.group(1) + ("{" if head.group(2) else " ")
        rest = line[head.end() :]
    cites = _KEEP.findall(rest)
    rest = _KEEP.sub(" ", rest)
    rest = re.sub(r"\\[A-Za-z]+\*?|\\.", " ", rest)
    rest = rest.replace("{", " ").replace("}", " ").replace("$", " ").replace("~", " ")
    text = escape(" ".join(rest.split()))
    tail = "}" if head and head.group(2) else ""
    return f"{prefix}{text}{tail}" + ("~" + "".join(cites) if cites else "")


def repair(tex: str, log: str, tried: dict[int, int]) -> tuple[str, str] | None:
    """(repaired tex, what was done) for the first error in `log`, or None."""
    lines = tex.split("\n")
    missing = _MISSING_FILE.search(log)
    if missing:
        name = missing.group(1)
        kept = [
            ln
            for ln in lines
            if not re.match(rf"\s*\\usepackage(\[[^]]*\])?\{{{re.escape(name)}\}}", ln)
        ]
        if len(kept) < len(lines):
            return "\n".join(kept), f"removed \\usepackage{{{name}}} (not installed)"
    match = _LINE_ERROR.search(log)
    if not match:
        return None
    number = int(match.group(1))
    index = number - 1
    if not 0 <= index < len(lines):
        return None
    body_start = next((i for i, ln in enumerate(lines) if "\\begin{document}" in ln), 0)
    if index <= body_start or lines[index].lstrip().startswith(
        ("\\begin", "\\end", "\\bibliography")
    ):
        return None
    tried[number] = tried.get(number, 0) + 1
    if tried[number] == 1:
        lines[index] = sanitize_line(lines[index])
        action = f"line {number}: rewrote as plain text ({match.group(2)[:80]})"
    else:
        lines[index] = "% removed by repair: " + lines[index].replace("\n", " ")
        action = f"line {number}: removed ({match.group(2)[:80]})"
    return "\n".join(lines), action


def compile_pdf(out_dir: Path, *, attempts: int = 3, timeout_s: float = 120.0) -> CompileResult:
    """Compile `out_dir/paper.tex` (with references.bib) into `out_dir/paper.pdf`.

    Builds in `out_dir/build`; a repaired paper.tex is written back to `out_dir`."""
    tool = tex_tool()
    if tool is None:
        return CompileResult(ok=False, message=INSTALL_HINT)
    build = out_dir / "build"
    build.mkdir(parents=True, exist_ok=True)
    tex = (out_dir / "paper.tex").read_text("utf-8")
    result = CompileResult(ok=False, tool=tool)
    tried: dict[int, int] = {}
    for attempt in range(1, attempts + 1):
        for stale in build.glob("paper.*"):
            stale.unlink()
        (build / "paper.tex").write_text(tex, "utf-8")
        bib = out_dir / "references.bib"
        if bib.exists():
            shutil.copy(bib, build / "references.bib")
        result.attempts = attempt
        ok, log = _compile_once(tool, build, timeout_s)
        if ok:
            shutil.copy(build / "paper.pdf", out_dir / "paper.pdf")
            (out_dir / "paper.tex").write_text(tex, "utf-8")
            result.ok, result.pdf = True, out_dir / "paper.pdf"
            result.message = f"compiled with {tool} in {attempt} attempt(s)"
            bbl = build / "paper.bbl"
            result.bibitems = (
                len(_BIBITEM.findall(bbl.read_text(errors="replace"))) if bbl.exists() else 0
            )
            final_log = build / "paper.log"  # the last pass's log; earlier passes precede bibtex
            final = final_log.read_text(errors="replace") if final_log.exists() else ""
            result.unresolved_citations = sorted(set(_UNDEFINED_CITATION.findall(final)))
            if result.unresolved_citations:
                # A PDF that prints [?] for a citation is not a finished paper: say so.
                result.message += "; unresolved citations: " + ", ".join(
                    result.unresolved_citations
                )
                result.log.append(result.message)
            shutil.rmtree(build, ignore_errors=True)
            return result
        fixed = repair(tex, log, tried) if attempt < attempts else None
        if fixed is None:
            errors = [ln for ln in log.splitlines() if _LIMIT.search(ln)]
            errors += [ln for ln in log.splitlines() if ln.startswith("!") or _LINE_ERROR.match(ln)]
            result.message = f"{tool} failed: " + ("; ".join(errors[:3]) or "see build/paper.log")
            result.log.append(result.message)
            return result
        tex, action = fixed
        result.log.append(action)
    return result
