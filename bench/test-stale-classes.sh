#!/usr/bin/env bash
# The cdk.json app (node bin/synth-app.js), end to end: it needs no GNU tools, and a synth never runs classes older
# than the sources. Works on a copy of the project (without target/, cdk.out/, .git/; node_modules linked), so the
# working tree is not touched. Needs `npm ci` done.
#
# Every synth and --check runs with a PATH holding only node, npx, sh, java, javac, mvn and the POSIX tools Maven's
# own mvn script calls (uname, ls, expr, dirname): none of find, sha1sum, xargs, flock, date or sort.
# Checks: the first synth runs Maven and compiles, with the resources beside the sources; a synth with no change does
# neither; an edited source is in the template; a constant changed in one file reaches the class that inlined it; a
# source that does not compile fails the synth; a pom.xml change makes the build stale and reverting it makes it current again; a deleted, corrupt, truncated
# or older class cache, or one with a rewritten class, is compiled again; two concurrent synths that need Maven run it
# once and take over a dead synth's lock.
# Last line: "stale-classes: <passed> passed, <failed> failed"; exit status 1 if any check failed.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ -d "$here/node_modules/aws-cdk" ] || { echo "stale-classes: run npm ci first" >&2; exit 2; }
work=$(mktemp -d)
tools=$(mktemp -d)
trap 'rm -rf "$work" "$tools"' EXIT
tar -C "$here" --exclude=./target --exclude=./cdk.out --exclude=./node_modules --exclude=./.git -cf - . | tar -C "$work" -xf -
ln -s "$here/node_modules" "$work/node_modules"
for tool in node npx sh java javac mvn uname ls expr dirname; do
  real=$(command -v "$tool") || { echo "stale-classes: $tool not found" >&2; exit 2; }
  ln -s "$real" "$tools/$tool"
done
cd "$work"

node_major=$(node -p 'process.versions.node.split(".")[0]')
export CDK_DISABLE_VERSION_CHECK=1 SYNTH_APP_VERBOSE=1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=$node_major JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=$node_major

pass=0 fail=0
check() { # NAME COMMAND...
  if "${@:2}"; then pass=$((pass + 1)); echo "ok   - $1"; else fail=$((fail + 1)); echo "FAIL - $1"; fi
}
portable() { env PATH="$tools" "$@"; }
synth() { # [LOG [OUTDIR]]: synthesizes as a user does, with the portable PATH; the log has synth-app's verbose lines
  local log=${1:-synth.log} out=${2:-cdk.out}
  rm -rf "$out"
  if ! portable npx cdk synth -q --no-notices -o "$out" > "$log" 2>&1; then tail -30 "$log"; return 1; fi
}
template_has() { grep -qF -- "$1" "${2:-cdk.out}"/*.template.json; }
log_has() { grep -qF -- "$1" "${2:-synth.log}"; }
cache=target/synth/app-classes.jar

no_gnu_tools() {
  portable sh -c 'for t in find sha1sum xargs flock date sort; do command -v "$t" && exit 1; done; exit 0'
}
check "the PATH of every synth below has none of find, sha1sum, xargs, flock, date, sort" no_gnu_tools

original="Run this to point kubectl at the cluster"
source=src/io/knativeoneks/KnativeCluster.java
constant=src/io/knativeoneks/StaleClassTestText.java

first_synth() {
  synth && log_has "synth-app: running Maven" && log_has "synth-app: compiling" && template_has "\"$original\""
}
check "first synth: Maven resolves the class path, the sources are compiled, the template is written" first_synth

handler_asset() { # a resource beside the sources (the readiness wait's Lambda handler) reaches the app as in the jar
  local handler
  for handler in cdk.out/asset.*/index.py; do
    cmp -s src/io/knativeoneks/readiness_wait.py "$handler" && return 0
  done
  return 1
}
check "resources beside the sources are on the app's class path: the readiness handler is an asset" handler_asset

unchanged() {
  synth && log_has "synth-app: up to date" && ! log_has "synth-app: running Maven" && ! log_has "synth-app: compiling"
}
check "no change: no Maven, no compiling" unchanged

edit_source() { # the description now ends with a constant of another class, which javac inlines into KnativeCluster
  grep -qF "\"$original\"" "$source" || { echo "  $source no longer has \"$original\": update this test"; return 1; }
  printf 'package io.knativeoneks;\n\nfinal class StaleClassTestText {\n    %s\n}\n' \
    'static final String SUFFIX = " (edit 1)";' > "$constant"
  sed -i "s|\"$original\"|\"$original\" + StaleClassTestText.SUFFIX|" "$source"
  synth && log_has "synth-app: compiling" && ! log_has "synth-app: running Maven" \
    && template_has "\"$original (edit 1)\"" && cp "$cache" edit1.jar
}
check "edited source: compiled without Maven, the change is in the template" edit_source

edit_constant() {
  sed -i 's| (edit 1)| (edit 2)|' "$constant"
  synth && log_has "synth-app: compiling" && template_has "\"$original (edit 2)\""
}
check "a constant changed in one file reaches the class that inlined it" edit_constant

compile_error() {
  printf 'package io.knativeoneks;\n\nclass Broken { int x = ; }\n' > src/io/knativeoneks/Broken.java
  if synth > /dev/null; then echo "  synthesized despite a compile error"; return 1; fi
  log_has "Broken.java:3: error:" || { echo "  no javac error in the log"; return 1; }
  rm src/io/knativeoneks/Broken.java
  synth && template_has "\"$original (edit 2)\""
}
check "a source that does not compile fails the synth with javac's message" compile_error

pom_change() {
  cp pom.xml pom.xml.orig
  echo "<!-- stale-class test -->" >> pom.xml
  local stale current
  stale=$(portable node bin/synth-app.js --check) && { echo "  changed pom.xml not detected"; return 1; }
  mv pom.xml.orig pom.xml
  current=$(portable node bin/synth-app.js --check) || { echo "  reverted pom.xml still stale: $current"; return 1; }
  echo "  $stale; reverted: $current"
}
check "pom.xml change: rebuild needed, reverting it: current again" pom_change

recompiled() { synth && log_has "synth-app: compiling" && template_has "\"$original (edit 2)\""; }
deleted_cache() { rm "$cache" && recompiled; }
check "deleted class cache: compiled again" deleted_cache

corrupt_cache() { LC_ALL=C sed -i 's|KnativeCluster.class|KnativeClustex.class|' "$cache" && recompiled; }
check "corrupt class cache (an entry's name changed): compiled again" corrupt_cache

truncated_cache() { head -c 3000 "$cache" > cut.jar && mv cut.jar "$cache" && recompiled; }
check "truncated class cache: compiled again" truncated_cache

rewritten_class() { # the cache keeps its label but KnativeCluster.class is the one of the first edit
  mkdir -p old && (cd old && jar xf ../edit1.jar io/knativeoneks/KnativeCluster.class) \
    && jar uf "$cache" -C old io/knativeoneks/KnativeCluster.class && recompiled
}
check "class rewritten in the cache: compiled again" rewritten_class

older_cache() { cp edit1.jar "$cache" && recompiled; }
check "class cache of older sources: compiled again" older_cache

concurrent() {
  rm target/synth/dependencies.json "$cache"
  sh -c 'exit 0' & local dead=$!
  wait "$dead"
  mkdir target/synth/maven.lock
  printf '{"pid": %s, "host": "%s", "since": %s000}' "$dead" "$(node -p 'require("os").hostname()')" "$(date +%s)" \
    > target/synth/maven.lock/owner.json
  synth a.log out.a & local a=$!
  synth b.log out.b & local b=$!
  wait "$a" && wait "$b" || return 1
  local mavens
  mavens=$(cat a.log b.log | grep -c "synth-app: running Maven")
  [ "$mavens" = 1 ] || { echo "  Maven ran $mavens times"; return 1; }
  cat a.log b.log | grep -q "synth-app: took over" || { echo "  the dead synth's lock was not taken over"; return 1; }
  template_has "\"$original (edit 2)\"" out.a && template_has "\"$original (edit 2)\"" out.b \
    && [ ! -e target/synth/maven.lock ]
}
check "two concurrent synths: one runs Maven (taking over a dead synth's lock), both synthesize the latest sources" \
  concurrent

echo "stale-classes: $pass passed, $fail failed"
[ "$fail" = 0 ]
