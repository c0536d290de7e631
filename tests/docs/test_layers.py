"""The layer rules of docs/concepts/layers.md hold: import-linter checks `.importlinter`, whose
ignored imports are the known debt, named there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_imports_go_one_way_down_the_layers() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command())",
            str(ROOT / ".importlinter"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "1 kept, 0 broken" in done.stdout


# Names defined twice that are known debt (issue #14, "One name, one meaning"); none today, so
# any class name defined a second time goes red.
KNOWN_TWICE: set[str] = set()


def test_each_public_class_name_is_defined_once_in_the_package() -> None:
    defined: dict[str, list[str]] = {}
    for path in sorted((ROOT / "src" / "lyceum").rglob("*.py")):
        for match in re.finditer(r"^class ([A-Za-z]\w*)", path.read_text(), flags=re.M):
            defined.setdefault(match.group(1), []).append(str(path.relative_to(ROOT)))
    twice = {name: where for name, where in defined.items() if len(where) > 1}
    assert set(twice) == KNOWN_TWICE, twice
