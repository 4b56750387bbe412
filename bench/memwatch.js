#!/usr/bin/env node
// Usage: node bench/memwatch.js <pid> [intervalMs]
// Polls /proc every intervalMs (default 50) until <pid> exits and prints, on one line:
//   "<peak sum of RSS over the process tree, kB> <peak RSS of the largest single process, kB> <name of that process>"
// The tree is <pid> and all its descendants at each sample (found via the ppid field of /proc/*/stat).
// A sampler can miss a peak shorter than the interval; it is a lower bound, good to a few MB.
'use strict';
const fs = require('fs');
const root = Number(process.argv[2]);
const interval = Number(process.argv[3] || 50);
let peakSum = 0, peakOne = 0, peakName = '';

function snapshot() {
  const parent = new Map();
  const info = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // fields[1] = ppid, fields[21] = rss in pages
      parent.set(Number(d), Number(fields[1]));
      info.set(Number(d), { name, rssKb: Number(fields[21]) * 4 });
    } catch { /* process vanished */ }
  }
  if (!info.has(root)) return false;
  const inTree = (pid) => { for (let p = pid, n = 0; p && n < 64; p = parent.get(p), n++) if (p === root) return true; return false; };
  let sum = 0;
  for (const [pid, { name, rssKb }] of info) {
    if (!inTree(pid)) continue;
    sum += rssKb;
    if (rssKb > peakOne) { peakOne = rssKb; peakName = name; }
  }
  if (sum > peakSum) peakSum = sum;
  return true;
}

function tick() {
  if (!snapshot()) {
    console.log(`${peakSum} ${peakOne} ${peakName}`);
    return;
  }
  setTimeout(tick, interval);
}
tick();
