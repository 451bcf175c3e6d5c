// Two CPU profiles of the same request count side by side, in µs per request by file:
//   node support/profile-compare.mjs <a.cpuprofile> <b.cpuprofile> <requests> [rows]
// Idle time is left out; what remains is each process's busy time, attributed.
import { summarise } from './profile-summary.mjs';

const [a, b, requests, rows = '30'] = process.argv.slice(2);
const left = summarise(a);
const right = summarise(b);
const perRequest = (us) => us / Number(requests);
const files = new Map();
for (const [file, us] of left.byFile) files.set(file, [perRequest(us), 0]);
for (const [file, us] of right.byFile) files.set(file, [files.get(file)?.[0] ?? 0, perRequest(us)]);
const leftIdle = perRequest(new Map(left.byFunction).get('(idle) (native):0') ?? 0);
const rightIdle = perRequest(new Map(right.byFunction).get('(idle) (native):0') ?? 0);
console.log(
  `busy µs/request: ${(perRequest(left.totalMs * 1000) - leftIdle).toFixed(1)} vs ${(perRequest(right.totalMs * 1000) - rightIdle).toFixed(1)}`,
);
for (const fn of ['(garbage collector) (native):0', 'writev (native):0', '(program) (native):0']) {
  const l = perRequest(new Map(left.byFunction).get(fn) ?? 0);
  const r = perRequest(new Map(right.byFunction).get(fn) ?? 0);
  console.log(`${l.toFixed(2).padStart(7)} ${r.toFixed(2).padStart(7)}  ${fn}`);
}
console.log('by file (native includes the above and idle):');
const sorted = [...files].sort((x, y) => Math.abs(y[1][0] - y[1][1]) - Math.abs(x[1][0] - x[1][1]));
for (const [file, [l, r]] of sorted.slice(0, Number(rows)))
  console.log(
    `${l.toFixed(2).padStart(7)} ${r.toFixed(2).padStart(7)} ${(l - r).toFixed(2).padStart(7)}  ${file}`,
  );
