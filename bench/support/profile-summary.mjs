// Sums V8 .cpuprofile self time by function and by package/file, so a profile can be read (and
// quoted in a note) without a browser; several files are summed:
//   node support/profile-summary.mjs <file.cpuprofile>... [top=30]
//   PER=60000 node …   prints µs per unit of work (60,000 deliveries in the files) instead of %
import { readFileSync } from 'node:fs';

/** `{ byFunction, byFile, totalMs }` of one profile, sorted by self time. */
export function summarise(path) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
  }
  const byFunction = new Map();
  const byFile = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = shorten(url);
    const fn = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return { byFunction: sorted(byFunction), byFile: sorted(byFile), totalMs: total / 1000 };
}

function shorten(url) {
  if (!url) return '(native)';
  const pnpm = url.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/(.*)/);
  if (pnpm) return pnpm[1];
  const ours = url.match(/(packages\/[^/]+\/.*|bench\/.*)/);
  return ours ? ours[1] : url.replace('file://', '');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const top = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 30);
  const files = args.filter((arg) => !/^\d+$/.test(arg));
  const sum = (maps) => {
    const out = new Map();
    for (const m of maps) for (const [k, us] of m) out.set(k, (out.get(k) ?? 0) + us);
    return [...out].sort((a, b) => b[1] - a[1]);
  };
  const all = files.map(summarise);
  const totalMs = all.reduce((t, s) => t + s.totalMs, 0);
  const byFile = sum(all.map((s) => s.byFile));
  const byFunction = sum(all.map((s) => s.byFunction));
  const per = Number(process.env.PER ?? 0);
  const show = (us) =>
    per
      ? `${(us / per).toFixed(2).padStart(7)} µs`
      : `${((us / 1000 / totalMs) * 100).toFixed(1)}%`.padStart(6);
  console.log(`total ${totalMs.toFixed(0)} ms sampled\n\nby file:`);
  for (const [f, us] of byFile.slice(0, top)) console.log(`${show(us)}  ${f}`);
  console.log('\nby function:');
  for (const [f, us] of byFunction.slice(0, top)) console.log(`${show(us)}  ${f}`);
}
