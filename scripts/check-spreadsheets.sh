#!/usr/bin/env bash
# Opens every spreadsheet format ForceLedger writes (CSV, ODS and XLSX, as the publication downloads use them) in
# LibreOffice (`soffice --headless --convert-to csv`) and compares what LibreOffice reads with the tables written.
# Fails when LibreOffice is missing: install it with `apt-get install --no-install-recommends libreoffice-calc-nogui`.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUIRE_LIBREOFFICE=1 exec npx vitest run src/lib/spreadsheets/libreoffice.test.ts "$@"
