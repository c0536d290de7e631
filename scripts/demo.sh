#!/usr/bin/env bash
# The main job on a fresh machine: install everything, ingest the offline Wikipedia corpus
# (10k lead sections, once per workspace; re-running is a no-op), then run a deep-research
# question on the embedded local model. Writes report.md, paper.tex, references.bib,
# paper.pdf (when TeX is installed) and trajectory.jsonl into ./research-out.
#   bash scripts/demo.sh ["your question"]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
QUESTION=${1:-"How did the printing press change the spread of knowledge in Europe?"}
.venv/bin/lyceum ingest --wikipedia-offline
.venv/bin/lyceum research "$QUESTION" --out research-out
.venv/bin/lyceum calls summary
