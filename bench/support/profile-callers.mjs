// Where one function's own time came from in a CPU profile: its self time by the chain of
// callers (six frames), so that the same function can be compared between two receivers:
//   node support/profile-callers.mjs <file.cpuprofile> <functionName> [rows]
import { readFileSync } from 'node:fs';

const [file, name, rows = '12'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id);
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

const byChain = new Map();
let total = 0;
for (const node of profile.nodes) {
  if (node.callFrame.functionName !== name) continue;
  const chain = [];
  for (let id = parentOf.get(node.id), depth = 0; id && depth < 6; id = parentOf.get(id), depth++) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    chain.push(
      `${functionName || '(anonymous)'}@${url.split('/').slice(-2).join('/')}:${lineNumber}`,
    );
  }
  const key = chain.join(' < ');
  const us = selfUs.get(node.id) ?? 0;
  total += us;
  byChain.set(key, (byChain.get(key) ?? 0) + us);
}
console.log(`${name}: ${(total / 1000).toFixed(1)} ms self time`);
for (const [chain, us] of [...byChain].sort((a, b) => b[1] - a[1]).slice(0, Number(rows)))
  console.log(`${(us / 1000).toFixed(1).padStart(7)} ms  ${chain}`);
