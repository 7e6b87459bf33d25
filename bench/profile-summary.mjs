#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from BENCH_PROFILE=1): self time by function and by file.
// Usage: node bench/profile-summary.mjs bench/profiles/<file>.cpuprofile [top]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fnAgg = new Map();
const fileAgg = new Map();
for (const [id, us] of self) {
  const { callFrame: f } = byId.get(id);
  const where = f.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:').replace('/work/main/', '');
  const fn = `${f.functionName || '(anonymous)'} ${where}:${f.lineNumber + 1}`;
  fnAgg.set(fn, (fnAgg.get(fn) ?? 0) + us);
  const key = where || f.functionName;
  fileAgg.set(key, (fileAgg.get(key) ?? 0) + us);
}
const print = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
// Inclusive time: a function's own samples plus its callees', counted once per stack.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const nameOf = (id) => {
  const { callFrame: f } = byId.get(id);
  const where = f.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:').replace('/work/main/', '');
  return `${f.functionName || '(anonymous)'} ${where}:${f.lineNumber + 1}`;
};
const incl = new Map();
for (const [id, us] of self) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const name = nameOf(cur);
    if (seen.has(name)) continue;
    seen.add(name);
    incl.set(name, (incl.get(name) ?? 0) + us);
  }
}
console.log(`total sampled: ${(total / 1e6).toFixed(1)} s`);
print('self time by function', fnAgg);
print('self time by file', fileAgg);
print('inclusive time (project code)', new Map([...incl].filter(([k]) => /(server|core)\/src/.test(k))));
