// Inclusive time (self + everything it called) of the functions whose name matches a pattern,
// per request: node support/profile-inclusive.mjs <file.cpuprofile> <requests> <regex>
import { readFileSync } from 'node:fs';

const [path, requests, pattern] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(path, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
function total(node) {
  let sum = self.get(node.id) ?? 0;
  for (const child of node.children ?? []) sum += total(byId.get(child));
  return sum;
}
const match = new RegExp(pattern);
const sums = new Map();
// Outermost matches only, so recursion is not counted twice.
function walk(node, inside) {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  const hit = !inside && match.test(name);
  if (hit) sums.set(name, (sums.get(name) ?? 0) + total(node));
  for (const child of node.children ?? []) walk(byId.get(child), inside || hit);
}
walk(profile.nodes[0], false);
for (const [name, us] of [...sums].sort((a, b) => b[1] - a[1]))
  console.log(`${(us / Number(requests)).toFixed(2).padStart(7)} µs  ${name}`);
