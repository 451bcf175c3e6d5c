// HTTP benchmark of @trax-webhooks/fastify, in one run: the plugin against a hand-written
// Fastify route (scoped buffer parser + node:crypto Standard Webhooks check + JSON.parse) and a
// bare Fastify JSON route. Each server runs in its own child process; autocannon drives it on
// loopback; every request carries a fresh, validly signed delivery (a pre-signed pool per run).
// Rounds rotate the order of the servers; the reported ratios are medians of per-round ratios.
//
// Run:  pnpm --filter @trax-webhooks/bench run bench:http:fastify
// Env:  ROUNDS=5  DURATION=8 (seconds per run)  CONNECTIONS=10  WARMUP=3 (seconds)
//       KINDS=plugin,handwritten,bare  — the first is measured against each of the others
//       (kinds: bench/http/fastify-server.mjs, e.g. `calibration` = hand-written + 4 µs of CPU);
//       `kind:store` picks the plugin's store, e.g. KINDS=plugin:redis,plugin:memory
//       CONCURRENT=1 loads all servers at once in each round instead of one after another: a
//       burst from other processes then hits every server alike (for a busy shared machine)
import os from 'node:os';
import { loadAverages, median, writeResults } from '../support/results.mjs';
import {
  loadFastifyServer,
  presignDeliveries,
  randomSecret,
  startFastifyServer,
} from './fastify-harness.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const DURATION = Number(process.env.DURATION ?? 8);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const WARMUP = Number(process.env.WARMUP ?? 3);
const KINDS = (process.env.KINDS ?? 'plugin,handwritten,bare').split(',').map((name) => {
  const [kind, store = 'memory'] = name.split(':');
  return { name, kind, store };
});
const CONCURRENT = process.env.CONCURRENT === '1';
const GOALS = { handwritten: 0.95, bare: 0.8 };

const fixed = (n, digits = 0) => n.toFixed(digits);

const secret = randomSecret();
const load = loadAverages();
console.log(`node ${process.version}, ${os.cpus().length} cpus, load average ${load}`);
console.log(
  `${ROUNDS} rounds × ${DURATION}s per server, ${CONNECTIONS} connections, kinds: ${KINDS.map((k) => k.name).join(', ')}\n`,
);

const servers = new Map();
try {
  for (const k of KINDS)
    servers.set(k.name, await startFastifyServer({ kind: k.kind, store: k.store, secret }));

  // Warm-up: JIT, sockets, and a first idea of the rate to size each run's delivery pool.
  let peak = 1000;
  for (const k of KINDS) {
    const deliveries = presignDeliveries({ secret, count: 60_000 });
    const warm = await loadFastifyServer({
      url: servers.get(k.name).url,
      deliveries,
      duration: WARMUP,
      connections: CONNECTIONS,
    });
    peak = Math.max(peak, warm.requestsPerSecond);
  }

  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = KINDS.map((_, i) => KINDS[(i + round) % KINDS.length]);
    const results = {};
    async function measure(k) {
      // Sign just before the run (5-minute tolerance), enough that no delivery repeats; if the
      // server outran the estimate, the run is repeated with a bigger pool.
      let r;
      for (let size = Math.ceil(peak * DURATION * 1.5) + 10_000; ; size *= 2) {
        const deliveries = presignDeliveries({ secret, count: size });
        r = await loadFastifyServer({
          url: servers.get(k.name).url,
          deliveries,
          duration: DURATION,
          connections: CONNECTIONS,
        });
        peak = Math.max(peak, r.requestsPerSecond);
        if (!r.poolExhausted) break;
      }
      if (r.non2xx > 0 || r.errors > 0)
        throw new Error(`${k.name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
      results[k.name] = r;
    }
    if (CONCURRENT) await Promise.all(order.map(measure));
    else for (const k of order) await measure(k);
    rounds.push(results);
    console.log(
      `round ${round + 1} (${order.map((k) => k.name).join(' → ')}): ` +
        KINDS.map(
          (k) =>
            `${k.name} ${fixed(results[k.name].requestsPerSecond)} req/s ${fixed(results[k.name].cpuMicrosPerRequest, 1)} µs cpu/req`,
        ).join(' | '),
    );
  }

  const [subject, ...baselines] = KINDS;
  console.log('');
  console.log('| server | median req/s | median server CPU µs/req | p99 latency ms |');
  console.log('|---|---:|---:|---:|');
  for (const k of KINDS) {
    const runs = rounds.map((r) => r[k.name]);
    console.log(
      `| ${k.name} | ${fixed(median(runs.map((r) => r.requestsPerSecond)))} | ${fixed(median(runs.map((r) => r.cpuMicrosPerRequest)), 1)} | ${fixed(median(runs.map((r) => r.latencyP99)))} |`,
    );
  }
  console.log('');
  const summary = [];
  for (const b of baselines) {
    const rps = median(
      rounds.map((r) => r[subject.name].requestsPerSecond / r[b.name].requestsPerSecond),
    );
    const cpu = median(
      rounds.map((r) => r[b.name].cpuMicrosPerRequest / r[subject.name].cpuMicrosPerRequest),
    );
    const goal = GOALS[b.kind];
    const verdict =
      goal === undefined || subject.kind !== 'plugin'
        ? ''
        : rps >= goal
          ? ` (goal ≥ ${goal}: met)`
          : ` (goal ≥ ${goal}: NOT met)`;
    console.log(
      `${subject.name} / ${b.name}: ${fixed(rps, 3)}× req/s${verdict}; ${fixed(cpu, 3)}× by server CPU per request`,
    );
    summary.push({
      subject: subject.name,
      baseline: b.name,
      requestsPerSecondRatio: rps,
      cpuRatio: cpu,
      goal,
    });
  }
  console.log(`load average at the end: ${loadAverages()}`);
  writeResults('http-fastify', {
    load,
    ROUNDS,
    DURATION,
    CONNECTIONS,
    rounds,
    summary,
  });
} finally {
  for (const server of servers.values()) await server.stop();
}
