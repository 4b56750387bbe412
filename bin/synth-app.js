#!/usr/bin/env node
// The cdk.json "app": runs the project's CDK app with `java`, starting Maven only when pom.xml changed. Needs only
// Node (which the CDK CLI needs anyway), a JDK and Maven: no shell or GNU tools, so that the same command serves
// macOS, Linux and Windows (bench/test-stale-classes.sh runs it on Linux with a PATH without GNU tools).
//
//   node bin/synth-app.js [MainClass [args...]]   default: platform.PlatformApp (examples/platform)
//   node bin/synth-app.js --check                 print why the next synth would rebuild (exit 1) or "up to date" (0)
//
// 1. The dependencies' class path comes from `mvn dependency:build-classpath`, run only when pom.xml changed (by
//    content) or a jar of the recorded class path is gone. It is kept with pom.xml's hash in
//    target/synth/dependencies.json. A lock directory, target/synth/maven.lock, keeps concurrent synths from running
//    Maven twice; a lock left behind by a dead process is taken over.
// 2. The launcher bin/SynthApp.java is compiled with javac into target/synth/launcher-<hash of its source>/, once.
// 3. `java SynthApp` runs the app, compiling its sources first when they changed (see SynthApp.java).
// Every file is written under a temporary name and renamed into place, so a concurrent synth sees the old or the new
// version, never a partial one.
//
// Environment:
//   SYNTH_JAVA_OPTS      replaces the default JVM options below
//   SYNTH_EXTRA_SOURCES  more Java source files or directories to compile with the app, separated by ':' (';' on
//                        Windows); the benchmark's bench/ScaleApp.java uses it
//   SYNTH_APP_VERBOSE=1  also say "up to date" and how long the check took (a rebuild is always announced on stderr)
//   JAVA_HOME            the JDK to use; default: java and javac on the PATH
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const state = path.join(root, 'target', 'synth');
const pomFile = path.join(root, 'pom.xml');
const dependenciesFile = path.join(state, 'dependencies.json');
const lockDir = path.join(state, 'maven.lock');
const launcherSource = path.join(__dirname, 'SynthApp.java');
const windows = process.platform === 'win32';

// JVM options, kept because they measurably helped (README, Performance): the JVM side of a CDK app is short-lived
// and mostly waits on the jsii node process, so the C1 compiler alone (no C2) saves about 1 s of CPU per synth.
const javaOptions = (process.env.SYNTH_JAVA_OPTS ?? '-XX:TieredStopAtLevel=1').split(/\s+/).filter(Boolean);

// The jsii kernel runs in a node child of the JVM and inherits NODE_OPTIONS. Node's default of 4 V8 platform threads
// oversubscribes 2 cores during aws-cdk-lib's WebAssembly template validation; 0 sizes the pool to the machine.
// Added to a user's own NODE_OPTIONS unless those already set the pool size.
// SYNTH_JAVA_OPTS tells SynthApp the options for the JVM that compiles.
const nodeOptions = process.env.NODE_OPTIONS ?? '';
const childEnv = {
  ...process.env,
  NODE_OPTIONS: /(^|\s)--v8-pool-size=/.test(nodeOptions) ? nodeOptions : `${nodeOptions} --v8-pool-size=0`.trim(),
  SYNTH_JAVA_OPTS: javaOptions.join(' '),
};

const say = (message) => process.stderr.write(`synth-app: ${message}\n`);
const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const jdkTool = (name) => (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', name) : name);

function writeAtomically(file, content) {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: childEnv, ...options });
  if (result.error) throw new Error(`cannot run ${command}: ${result.error.message}`);
  return result;
}

function runOrFail(command, args, options) {
  const result = run(command, args, options);
  if (result.status !== 0) throw new Error(`${command} failed (exit status ${result.status ?? result.signal})`);
}

/** The recorded dependencies, { classpath: [...] }, or { stale: why } when Maven must resolve them again. */
function dependencies() {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(dependenciesFile, 'utf8'));
  } catch {
    return { stale: 'no recorded class path' };
  }
  if (recorded.pom !== sha256(pomFile)) return { stale: 'pom.xml changed' };
  const missing = recorded.classpath.find((jar) => !fs.existsSync(jar));
  return missing ? { stale: `missing dependency ${missing}` } : recorded;
}

function resolveDependencies() {
  const pom = sha256(pomFile); // before Maven runs: an edit made meanwhile is resolved by the next synth
  const output = `${dependenciesFile}.${process.pid}.classpath`;
  const args = ['-q', '-B', '-f', pomFile, 'dependency:build-classpath', '-DincludeScope=runtime',
    `-Dmdep.outputFile=${output}`];
  // Maven's stdout (even -q prints ANSI resets) goes to stderr: the CDK CLI reads the app's stdout.
  // On Windows mvn is a batch file, which Node runs only through the shell; quote its arguments for cmd.exe.
  if (windows) runOrFail('mvn.cmd', args.map((arg) => `"${arg}"`), { stdio: ['ignore', 2, 2], shell: true });
  else runOrFail('mvn', args, { stdio: ['ignore', 2, 2] });
  const classpath = fs.readFileSync(output, 'utf8').trim().split(path.delimiter).filter(Boolean);
  fs.rmSync(output);
  writeAtomically(dependenciesFile, JSON.stringify({ pom, classpath }, null, 1));
  return { pom, classpath };
}

// The lock is a directory holding owner.json. It appears and disappears whole (created under a temporary name and
// renamed into place, renamed away before it is removed), so a lock without a readable owner is never in progress.
// Any failure here costs a second Maven run at worst: what Maven resolves is written atomically.
const lockOwner = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'owner.json'), 'utf8'));

function tryLock() {
  const temp = `${lockDir}.${process.pid}.new`;
  fs.mkdirSync(temp, { recursive: true });
  fs.writeFileSync(path.join(temp, 'owner.json'),
    JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now() }));
  try {
    fs.renameSync(temp, lockDir); // fails while the lock exists: it is never empty
    return true;
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    if (!fs.existsSync(lockDir)) throw e;
    return false;
  }
}

function unlock() {
  const grave = `${lockDir}.${process.pid}.old`;
  fs.renameSync(lockDir, grave);
  fs.rmSync(grave, { recursive: true, force: true });
}

/** The lock's owner when it is gone (a process of this machine that no longer runs, or an hour-old lock), else null. */
function deadOwner() {
  let owner;
  try {
    owner = lockOwner(lockDir);
  } catch (e) {
    return e.code === 'ENOENT' ? null : {}; // released just now, or not a lock this script wrote
  }
  if (Date.now() - owner.since > 3600_000) return owner;
  if (owner.host !== os.hostname()) return null;
  try {
    process.kill(owner.pid, 0);
    return null;
  } catch (e) {
    return e.code === 'ESRCH' ? owner : null; // EPERM: it runs, as another user
  }
}

/** Removes a dead owner's lock; puts it back if another synth replaced it since deadOwner() looked. */
function takeOver(dead) {
  const taken = `${lockDir}.${process.pid}.taken`;
  try {
    fs.renameSync(lockDir, taken);
  } catch {
    return; // another synth took it over first
  }
  let owner = {};
  try {
    owner = lockOwner(taken);
  } catch {
    // not a lock this script wrote: remove it
  }
  if (owner.pid === dead.pid && owner.since === dead.since) {
    say(`took over ${lockDir} from process ${dead.pid ?? '?'}, which is gone`);
    fs.rmSync(taken, { recursive: true, force: true });
  } else {
    fs.renameSync(taken, lockDir);
  }
}

async function withMavenLock(action) {
  fs.mkdirSync(state, { recursive: true });
  for (let announced = false; !tryLock(); ) {
    const dead = deadOwner();
    if (dead) {
      takeOver(dead);
    } else {
      if (!announced) say(`waiting for ${lockDir} (another synth runs Maven)`);
      announced = true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return action();
  } finally {
    unlock();
  }
}

/** The directory holding the compiled launcher; compiles it first unless check is set. Null when not compiled. */
function launcher(check) {
  const dir = path.join(state, `launcher-${sha256(launcherSource).slice(0, 16)}`);
  if (fs.existsSync(path.join(dir, 'SynthApp.class'))) return dir;
  if (check) return null;
  fs.rmSync(dir, { recursive: true, force: true }); // incomplete: its class was deleted
  const temp = `${dir}.${process.pid}.tmp`;
  runOrFail(jdkTool('javac'), ['-d', temp, launcherSource]);
  try {
    fs.renameSync(temp, dir);
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'SynthApp.class'))) throw e; // else a concurrent synth placed it first
  }
  for (const old of fs.readdirSync(state)) {
    if (/^launcher-[0-9a-f]{16}$/.test(old) && path.join(state, old) !== dir) {
      fs.rmSync(path.join(state, old), { recursive: true, force: true });
    }
  }
  return dir;
}

async function main() {
  const check = process.argv[2] === '--check';
  const appArgs = process.argv.length > 2 ? process.argv.slice(2) : ['platform.PlatformApp'];
  let deps = dependencies();
  if (deps.stale && check) return report(`stale: ${deps.stale}`, 1);
  if (deps.stale) {
    deps = await withMavenLock(() => {
      const again = dependencies(); // another synth may have resolved them while this one waited
      if (!again.stale) return again;
      say(`running Maven: ${again.stale}`);
      return resolveDependencies();
    });
  }
  const launcherDir = launcher(check);
  if (!launcherDir) return report('stale: launcher not compiled', 1);
  const classpath = [launcherDir, ...deps.classpath].join(path.delimiter);
  const java = run(jdkTool('java'), [...javaOptions, '-cp', classpath, 'SynthApp', root, ...appArgs]);
  if (java.signal) process.kill(process.pid, java.signal);
  process.exitCode = java.status;
}

function report(line, status) {
  console.log(line);
  process.exitCode = status;
}

main().catch((e) => {
  say(e.message);
  process.exitCode = 1;
});
