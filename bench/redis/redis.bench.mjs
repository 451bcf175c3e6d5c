// Deliveries per second through the Fastify plugin with the Redis store against the same plugin
// with the memory store, in one run. Each server runs in its own child process (the Fastify
// benchmark's harness, bench/http/fastify-harness.mjs); autocannon drives it on loopback; every
// request is a fresh, validly signed delivery, so each one costs the Redis store a claim and a
// complete (two Lua round trips). Rounds alternate the order; ratios are medians of per-round ratios.
//
// Run:  pnpm --filter @trax-webhooks/bench run bench:redis      (Redis at REDIS_URL, default local)
// Env:  ROUNDS=5  DURATION=8 (seconds per run)  CONNECTIONS=10  WARMUP=3 (seconds)
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  loadFastifyServer,
  presignDeliveries,
  randomSecret,
  startFastifyServer,
} from '../http/fastify-harness.mjs';
import { loadAverages, median, writeResults } from '../support/results.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const DURATION = Number(process.env.DURATION ?? 8);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const WARMUP = Number(process.env.WARMUP ?? 3);
const GOAL = 0.7;
const REDIS_STORE = fileURLToPath(new URL('./redis-store.mjs', import.meta.url));
const KINDS = [
  { name: 'redis', store: REDIS_STORE },
  { name: 'memory', store: 'memory' },
];

const fixed = (n, digits = 0) => n.toFixed(digits);

/** redis-server's own CPU time so far, in microseconds (INFO cpu; other clients of a shared Redis add noise). */
const monitor = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
async function redisCpuMicros() {
  const info = await monitor.info('cpu');
  const seconds = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
}

const secret = randomSecret();
const load = loadAverages();
console.log(`node ${process.version}, ${os.cpus().length} cpus, load average ${load}`);
console.log(`${ROUNDS} rounds × ${DURATION}s per store, ${CONNECTIONS} connections\n`);

const servers = new Map();
try {
  for (const k of KINDS) {
    servers.set(k.name, await startFastifyServer({ kind: 'plugin', store: k.store, secret }));
  }
  let peak = 1000;
  for (const k of KINDS) {
    const warm = await loadFastifyServer({
      url: servers.get(k.name).url,
      deliveries: presignDeliveries({ secret, count: 60_000 }),
      duration: WARMUP,
      connections: CONNECTIONS,
    });
    peak = Math.max(peak, warm.requestsPerSecond);
  }

  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? KINDS : [...KINDS].reverse();
    const results = {};
    for (const k of order) {
      // A pool big enough that no delivery repeats (a repeat would be a cheap duplicate).
      let r;
      for (let size = Math.ceil(peak * DURATION * 1.5) + 10_000; ; size *= 2) {
        const deliveries = presignDeliveries({ secret, count: size });
        const redisBefore = await redisCpuMicros();
        r = await loadFastifyServer({
          url: servers.get(k.name).url,
          deliveries,
          duration: DURATION,
          connections: CONNECTIONS,
        });
        r.redisCpuMicrosPerRequest = ((await redisCpuMicros()) - redisBefore) / r.requests;
        peak = Math.max(peak, r.requestsPerSecond);
        if (!r.poolExhausted) break;
      }
      if (r.non2xx > 0 || r.errors > 0) {
        throw new Error(`${k.name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
      }
      results[k.name] = r;
    }
    rounds.push(results);
    console.log(
      `round ${round + 1} (${order.map((k) => k.name).join(' → ')}): ` +
        KINDS.map(
          (k) =>
            `${k.name} ${fixed(results[k.name].requestsPerSecond)} req/s p99 ${results[k.name].latencyP99} ms`,
        ).join(' | '),
    );
  }

  console.log(
    '\n| store | median req/s | server CPU µs/req | redis-server CPU µs/req | p50 ms | p99 ms |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const k of KINDS) {
    const runs = rounds.map((r) => r[k.name]);
    console.log(
      `| ${k.name} | ${fixed(median(runs.map((r) => r.requestsPerSecond)))} | ${fixed(median(runs.map((r) => r.cpuMicrosPerRequest)), 1)} | ${fixed(median(runs.map((r) => r.redisCpuMicrosPerRequest)), 1)} | ${median(runs.map((r) => r.latencyP50))} | ${median(runs.map((r) => r.latencyP99))} |`,
    );
  }
  const ratio = median(rounds.map((r) => r.redis.requestsPerSecond / r.memory.requestsPerSecond));
  // CPU view, steadier than req/s on a shared machine: what one delivery costs the receiver
  // process, and the receiver plus redis-server together (the memory run's Redis CPU is others').
  const serverCpuRatio = median(
    rounds.map((r) => r.memory.cpuMicrosPerRequest / r.redis.cpuMicrosPerRequest),
  );
  const totalCpuRatio = median(
    rounds.map(
      (r) =>
        r.memory.cpuMicrosPerRequest /
        (r.redis.cpuMicrosPerRequest + r.redis.redisCpuMicrosPerRequest),
    ),
  );
  console.log(
    `\nredis / memory: ${fixed(ratio, 3)}× deliveries/s (goal ≥ ${GOAL}: ${ratio >= GOAL ? 'met' : 'NOT met'}); ` +
      `${fixed(serverCpuRatio, 3)}× by receiver CPU per delivery; ${fixed(totalCpuRatio, 3)}× counting redis-server CPU too`,
  );
  writeResults('redis', {
    load,
    ROUNDS,
    DURATION,
    CONNECTIONS,
    rounds,
    ratio,
    serverCpuRatio,
    totalCpuRatio,
  });
} finally {
  for (const server of servers.values()) await server.stop();
  monitor.disconnect();
}
