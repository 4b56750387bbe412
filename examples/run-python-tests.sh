#!/usr/bin/env bash
# Runs the unittest tests of an example Flask app (examples/<app>) with Debian's Python and Flask.
# Usage: examples/run-python-tests.sh <app>, e.g. hello-python or event-display.
# Exits non-zero when any test fails.
set -euo pipefail

app=${1:?usage: examples/run-python-tests.sh <app>}
cd "$(dirname "${BASH_SOURCE[0]}")/$app"

PYTHON=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1

if ! "$PYTHON" -c 'import flask' 2>/dev/null; then
  echo "$app: installing Debian's python3-flask"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq python3-flask
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# unittest reports on stderr; merge it so the output reads in order.
status=0
"$PYTHON" -m unittest -v test_app 2>&1 | tee "$log" || status=$?

# Closing line in the plain "N passed, N failed" form.
ran="$(sed -n 's/^Ran \([0-9][0-9]*\) tests\{0,1\} in .*/\1/p' "$log" | tail -n 1)"
ran="${ran:-0}"
failures="$(grep -o 'failures=[0-9]*' "$log" | tail -n 1 | cut -d= -f2 || true)"
errors="$(grep -o 'errors=[0-9]*' "$log" | tail -n 1 | cut -d= -f2 || true)"
skipped="$(grep -o 'skipped=[0-9]*' "$log" | tail -n 1 | cut -d= -f2 || true)"
failed=$(( ${failures:-0} + ${errors:-0} ))
skipped="${skipped:-0}"
passed=$(( ran - failed - skipped ))

if [ "$status" -eq 0 ] && [ "$ran" -gt 0 ]; then
  echo "$app tests: PASSED"
else
  [ "$status" -ne 0 ] || status=1
  echo "$app tests: FAILED (exit $status)"
fi
echo "$app: $passed passed, $failed failed, $skipped skipped"
exit "$status"
