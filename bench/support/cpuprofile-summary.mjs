// Sums the self time of a .cpuprofile (node --cpu-prof) per function and per file, so a profile
// can be read in a terminal: where the CPU went, largest first. Several files are summed.
//
//   node bench/support/cpuprofile-summary.mjs <file.cpuprofile>... [top=25]
//   PER=60000 node …   also prints µs per unit of work (60,000 deliveries in the files)
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const top = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 25);
const selfMicros = []; // [callFrame, µs]
for (const file of args.filter((arg) => !/^\d+$/.test(arg))) {
  const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(nodes.map((node) => [node.id, { frame: node.callFrame, micros: 0 }]));
  for (let i = 0; i < samples.length; i++) byId.get(samples[i]).micros += timeDeltas[i] ?? 0;
  for (const { frame, micros } of byId.values()) if (micros > 0) selfMicros.push([frame, micros]);
}
const total = selfMicros.reduce((sum, [, micros]) => sum + micros, 0);
const byFunction = new Map();
const byFile = new Map();
for (const [{ functionName, url, lineNumber }, micros] of selfMicros) {
  const where =
    url
      .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '')
      .replace(/^file:\/\/.*\/(packages|bench)\//, '$1/') || '(native)';
  const fn = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
  const fileKey = where.replace(/:\d+$/, '');
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + micros);
}
const per = Number(process.env.PER ?? 0);
const print = (title, map) => {
  console.log(`\n${title} (self time, ${(total / 1000).toFixed(0)} ms sampled)`);
  for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    const each = per ? `${(micros / per).toFixed(2).padStart(7)} µs  ` : '';
    console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${each}${name}`);
  }
};
print('by file', byFile);
print('by function', byFunction);
