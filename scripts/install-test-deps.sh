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
# LibreOffice Writer makes the PDF and re-saves a report as an office suite would (import round trip);
# poppler-utils reads the PDF back (pdftotext, pdfinfo, pdffonts); DejaVu covers the arrows, symbols
# and emoji officers type, so LibreOffice prints them rather than empty boxes.
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -q DejaVuSans || missing+=(fonts-dejavu-core)
# LibreOffice Calc opens the CSV as a person would (tests/test_validators.py); Java runs the Nu Html
# Checker and npm installs it (below).
command -v localc >/dev/null 2>&1 || missing+=(libreoffice-calc)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing: ${missing[*]}: run 'sudo apt-get install ${missing[*]}' and try again" >&2
    exit 1
  fi
fi

# The Nu Html Checker (vnu.jar) validates the HTML the build writes: npm's vnu-jar at the version
# .ci/node/package-lock.json pins, into .ci/node/node_modules (git-ignored). --ignore-scripts: its
# install script only downloads a Java runtime when it finds none, and Debian's is used instead.
npm ci --prefix .ci/node --ignore-scripts --no-audit --no-fund --loglevel=error
