#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine: the package with its test extras, and
# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet -e ".[test]"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install chromium' and try again" >&2
    exit 1
  fi
fi
# LibreOffice Writer re-saves a report as an office suite would, for the import round-trip test.
if ! command -v soffice >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer >/dev/null
  else
    echo "LibreOffice is missing: run 'sudo apt-get install libreoffice-writer' and try again" >&2
    exit 1
  fi
fi
