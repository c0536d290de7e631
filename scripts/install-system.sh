#!/usr/bin/env bash
# System packages Lyceum uses but pip cannot install: TeX Live + latexmk (research reports as
# PDF) and, with --browser, Debian's chromium (the dashboard's browser tests drive it through
# Playwright). Installed from Debian's packages when running as root with apt-get; elsewhere it
# says what to install and carries on: Lyceum then writes .tex without the PDF, and the browser
# tests are skipped with that reason.
#   bash scripts/install-system.sh [--browser]
#   LYCEUM_SKIP_SYSTEM_PACKAGES=1 skips this step.
set -euo pipefail

packages=(texlive-latex-base texlive-latex-recommended latexmk)
commands=(pdflatex latexmk)
if [ "${1:-}" = "--browser" ]; then
  packages+=(chromium)
  commands+=(chromium)
fi

missing=()
for cmd in "${commands[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "${LYCEUM_SKIP_SYSTEM_PACKAGES:-0}" = "1" ]; then
  echo "note: skipping system packages (${missing[*]} missing); LYCEUM_SKIP_SYSTEM_PACKAGES=1" >&2
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: ${missing[*]} not found; install them for PDF reports and the browser tests" \
    "(Debian/Ubuntu: sudo apt-get install ${packages[*]})" >&2
  exit 0
fi
echo "installing system packages: ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
