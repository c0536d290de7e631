#!/usr/bin/env bash
# The main job on a fresh machine: install everything, then answer a real question with the
# embedded local model through the gateway (every call recorded in the workspace).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
QUESTION=${1:-"Explain in two sentences what a transformer language model is."}
.venv/bin/lyceum ask "$QUESTION"
.venv/bin/lyceum calls summary
