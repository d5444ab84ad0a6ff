#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine: the package with its test extras, and
# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet -e ".[test]"

# Chromium for the browser tests; LibreOffice Writer makes the PDF and re-saves a report as an office
# suite would (import round trip); LibreOffice Calc opens the CSV and XLSX exports as a person would
# (tests/test_exports.py); poppler-utils reads the PDF back (pdftotext, pdfinfo, pdffonts);
# DejaVu covers the arrows, symbols and emoji officers type, so LibreOffice prints them rather than
# empty boxes.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer)
command -v localc >/dev/null 2>&1 || missing+=(libreoffice-calc)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -q DejaVuSans || missing+=(fonts-dejavu-core)
# Java runs the Nu Html Checker (tests/test_validators.py) and npm installs it (below).
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "Missing: ${missing[*]}: run 'sudo apt-get install ${missing[*]}' and try again" >&2
    exit 1
  fi

  # Another apt (unattended upgrades, a second install) may hold the package locks: wait for them, up to
  # ten minutes, rather than fail at once. DPkg::Lock::Timeout makes apt-get install wait for the dpkg
  # lock (apt 1.9.11 and later; older apt ignores it); apt-get update's lock on the package lists is not
  # covered by it (apt 2.6 still fails at once), so update is retried while that lock is held.
  lock_wait=600
  waited=0
  until update_output=$(LC_ALL=C apt-get -o DPkg::Lock::Timeout="$lock_wait" update -qq 2>&1); do
    if ! grep -q "Could not get lock" <<<"$update_output" || [ "$waited" -ge "$lock_wait" ]; then
      printf '%s\n' "$update_output" >&2
      exit 1
    fi
    [ "$waited" -eq 0 ] && echo "Waiting for another apt to release the package lists..." >&2
    sleep 5
    waited=$((waited + 5))
  done
  [ -z "$update_output" ] || printf '%s\n' "$update_output" >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$lock_wait" install -y -qq "${missing[@]}" >/dev/null
fi

# The Nu Html Checker (vnu.jar) validates the HTML the build writes: npm's vnu-jar at the version
# .ci/node/package-lock.json pins, into .ci/node/node_modules (git-ignored). --ignore-scripts: its
# install script only downloads a Java runtime when it finds none, and Debian's is used instead.
npm ci --prefix .ci/node --ignore-scripts --no-audit --no-fund --loglevel=error
