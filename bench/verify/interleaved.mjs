// The runner: every op gets a fresh request (its contender's own delivery) built before its
// batch is timed, so building it costs no contender anything, and the contenders take turns batch by batch — the order
// rotates and reverses each batch, and the goal pair always runs back to back — so each
// round's ratio compares two measurements taken moments apart on a shared machine.
// Each batch is timed twice: wall clock, and this process's CPU time (`process.cpuUsage`, all
// its threads). On the shared 2 cores the wall clock also counts the time other processes
// held the CPU, which lands on whichever contender was running; CPU time does not, so the
// goals are read from it, and the wall-clock figures are reported beside them.
import { median } from '../support/results.mjs';

const cpuUsage = globalThis.process?.cpuUsage?.bind(globalThis.process);

/**
 * @param {Record<string, { run: (req: object) => unknown, async: boolean, next: () => object }>} tasks
 *   `next()` builds a fresh request of the delivery `run` verifies
 * @param {{ rounds: number, batches: number, batchSize: number, pair: [string, string] }} options
 * @returns {Promise<{ wall: Record<string, number[]>, cpu: Record<string, number[]> }>} µs
 *   per op of every task, one entry per round (`cpu` is the wall clock where the runtime has
 *   no `process.cpuUsage`)
 */
export async function runInterleaved(tasks, { rounds, batches, batchSize, pair }) {
  const names = Object.keys(tasks);
  // The goal pair is one unit, so its two sides are always adjacent.
  const units = [pair, ...names.filter((n) => !pair.includes(n)).map((n) => [n])];
  const wall = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  const requests = new Array(batchSize);
  for (let round = -1; round < rounds; round++) {
    // Round -1 warms every contender up (JIT tiers, pools) and is discarded.
    const spentWall = Object.fromEntries(names.map((n) => [n, 0]));
    const spentCpu = Object.fromEntries(names.map((n) => [n, 0]));
    for (let batch = 0; batch < batches; batch++) {
      const k = (batch + round + 1) % units.length;
      const rotated = [...units.slice(k), ...units.slice(0, k)];
      const order = (batch % 2 ? rotated.reverse() : rotated).flatMap((unit) =>
        (batch + round) % 2 ? [...unit].reverse() : unit,
      );
      for (const name of order) {
        for (let i = 0; i < batchSize; i++) requests[i] = tasks[name].next();
        const { wallMicros, cpuMicros } = await timeBatch(tasks[name], requests);
        spentWall[name] += wallMicros;
        spentCpu[name] += cpuMicros;
      }
    }
    if (round < 0) continue;
    for (const n of names) {
      wall[n].push(spentWall[n] / (batches * batchSize));
      cpu[n].push(spentCpu[n] / (batches * batchSize));
    }
  }
  return { wall, cpu };
}

async function timeBatch({ run, async }, requests) {
  const cpuStart = cpuUsage?.();
  const start = performance.now();
  if (async) for (let i = 0; i < requests.length; i++) await run(requests[i]);
  else for (let i = 0; i < requests.length; i++) run(requests[i]);
  const wallMicros = (performance.now() - start) * 1000;
  if (cpuStart === undefined) return { wallMicros, cpuMicros: wallMicros };
  const { user, system } = cpuUsage(cpuStart);
  return { wallMicros, cpuMicros: user + system };
}

/** The median over rounds of `a`'s time ÷ `b`'s time in the same round. */
export function ratioOf(perRound, a, b) {
  return median(perRound[a].map((micros, i) => micros / perRound[b][i]));
}

/**
 * Two contenders only, back to back in ABBA order (BAAB the next quad), `quads` times per
 * round: the tightest pairing this machine allows, for the goal ratio.
 * @returns {{ wall: number[], cpu: number[], aMicros: number, bMicros: number }} `a ÷ b` per
 *   round (wall clock and CPU time), and each side's median CPU µs per op
 */
export async function runPair(a, b, { rounds, quads, batchSize }) {
  const wall = [];
  const cpu = [];
  const aCpu = [];
  const bCpu = [];
  const requests = new Array(batchSize);
  for (let round = -2; round < rounds; round++) {
    // Two warm-up rounds, discarded.
    const spent = { a: { wall: 0, cpu: 0 }, b: { wall: 0, cpu: 0 } };
    for (let quad = 0; quad < quads; quad++) {
      for (const side of (quad + round) % 2 ? ['a', 'b', 'b', 'a'] : ['b', 'a', 'a', 'b']) {
        const task = side === 'a' ? a : b;
        for (let i = 0; i < batchSize; i++) requests[i] = task.next();
        const { wallMicros, cpuMicros } = await timeBatch(task, requests);
        spent[side].wall += wallMicros;
        spent[side].cpu += cpuMicros;
      }
    }
    if (round < 0) continue;
    wall.push(spent.a.wall / spent.b.wall);
    cpu.push(spent.a.cpu / spent.b.cpu);
    const ops = 2 * quads * batchSize;
    aCpu.push(spent.a.cpu / ops);
    bCpu.push(spent.b.cpu / ops);
  }
  return { wall, cpu, aMicros: median(aCpu), bMicros: median(bCpu) };
}
