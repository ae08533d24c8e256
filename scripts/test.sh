#!/usr/bin/env bash
# Installs what is missing, then runs every test: typecheck, lint, unit, conformance, e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
