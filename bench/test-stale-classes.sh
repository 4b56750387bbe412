#!/usr/bin/env bash
# Stale-class protection, end to end: cdk synth through cdk.json's app (bin/synth-app) must never synthesize classes
# older than the sources. Works on a copy of the project (without target/, cdk.out/, .git/; node_modules linked),
# so the working tree is not touched. Needs `npm ci` done. Maven runs hold the Maven lock (MVN_LOCK, /tmp/mvn.lock).
#
# Checks: the first synth builds; a second synth with no change starts no Maven; an edited source (the output
# description in KnativeCluster.java) shows up in the template; a pom.xml change makes the build stale and reverting
# it makes it current again; a deleted class file is rebuilt before synth.
# Last line: "stale-classes: <passed> passed, <failed> failed"; exit status 1 if any check failed.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ -d "$here/node_modules/aws-cdk" ] || { echo "stale-classes: run npm ci first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$here" --exclude=./target --exclude=./cdk.out --exclude=./node_modules --exclude=./.git -cf - . | tar -C "$work" -xf -
ln -s "$here/node_modules" "$work/node_modules"
cd "$work"

node_major=$(node -p 'process.versions.node.split(".")[0]')
export CDK_DISABLE_VERSION_CHECK=1 SYNTH_APP_VERBOSE=1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=$node_major JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=$node_major

pass=0 fail=0
check() { # NAME COMMAND...
  if "${@:2}"; then pass=$((pass + 1)); echo "ok   - $1"; else fail=$((fail + 1)); echo "FAIL - $1"; fi
}
synth() { # synthesizes as a user does; the log (with synth-app's verbose lines) is in $work/synth.log
  rm -rf cdk.out
  if ! npx cdk synth -q --no-notices > synth.log 2>&1; then tail -30 synth.log; return 1; fi
}
template_has() { grep -qF -- "$1" cdk.out/*.template.json; }
log_has() { grep -qF -- "$1" synth.log; }

original="Run this to point kubectl at the cluster"
edited="$original (edited by the stale-class test $$-$RANDOM)"
source=src/io/knativeoneks/KnativeCluster.java

first_synth() { synth && template_has "\"$original\""; }
check "first synth builds and synthesizes" first_synth

unchanged() { synth && log_has "synth-app: up to date" && ! log_has "synth-app: rebuilding"; }
check "no change: synth starts no Maven" unchanged

edit_source() {
  grep -qF "\"$original\"" "$source" || { echo "  $source no longer has \"$original\": update this test"; return 1; }
  sed -i "s|\"$original\"|\"$edited\"|" "$source"
  synth && log_has "synth-app: rebuilding" && template_has "\"$edited\"" && ! template_has "\"$original\""
}
check "edited source: rebuilt, the change is in the template" edit_source

pom_change() {
  cp pom.xml pom.xml.orig
  echo "<!-- stale-class test -->" >> pom.xml
  local stale current
  stale=$(bin/synth-app --check) && { echo "  changed pom.xml not detected"; return 1; }
  mv pom.xml.orig pom.xml
  current=$(bin/synth-app --check) || { echo "  reverted pom.xml still stale: $current"; return 1; }
  echo "  $stale; reverted: $current"
}
check "pom.xml change: rebuild needed, reverting it: current again" pom_change

deleted_class() {
  rm target/classes/io/knativeoneks/KnativeCluster.class
  synth && log_has "synth-app: rebuilding" && [ -f target/classes/io/knativeoneks/KnativeCluster.class ] \
    && template_has "\"$edited\""
}
check "deleted class file: rebuilt before synth" deleted_class

echo "stale-classes: $pass passed, $fail failed"
[ "$fail" = 0 ]
