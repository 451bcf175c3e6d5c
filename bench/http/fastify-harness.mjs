// Reusable parts of the Fastify HTTP benchmark: start a server kind in a child process,
// pre-sign a pool of distinct deliveries, and drive one autocannon run through the pool.
// The Redis benchmark uses these to compare stores through the plugin:
//
//   const server = await startFastifyServer({ kind: 'plugin', store: 'redis', secret });
//   const result = await loadFastifyServer({ url: server.url, deliveries: presignDeliveries({ secret, count }) });
//   await server.stop();
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { signDelivery } from '@trax-webhooks/core';
import autocannon from 'autocannon';

export const PATH = '/webhooks/trax';
const SERVER = new URL('./fastify-server.mjs', import.meta.url);

/** A fresh random Standard Webhooks secret. */
export function randomSecret() {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** Starts `fastify-server.mjs <kind> [store]` and resolves once it listens. */
export async function startFastifyServer({ kind, store = 'memory', secret, env = {} }) {
  const child = spawn(process.execPath, [SERVER.pathname, kind, store], {
    env: { ...process.env, ...env, TRAX_BENCH_SECRET: secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${kind} server exited with ${code} before listening`)),
    );
    lines.on('line', (line) => {
      if (line.startsWith('LISTENING ')) resolve(line.slice('LISTENING '.length));
    });
  });
  return {
    kind,
    store,
    url,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** A realistic `stream.live` body (about 200 bytes of JSON). */
function streamLive(n) {
  const now = new Date().toISOString();
  return {
    type: 'stream.live',
    timestamp: now,
    data: {
      studioId: `st_${n % 1000}`,
      encoderStreamId: `enc_${n}`,
      liveStartedAt: now,
      mode: 'cloud',
    },
  };
}

/**
 * Signs `count` distinct deliveries now (sign them shortly before a run: they age out of the
 * 5-minute tolerance). Each is ready for autocannon: method, path, headers, body.
 */
export function presignDeliveries({ secret, count, path = PATH }) {
  const deliveries = new Array(count);
  for (let n = 0; n < count; n++) {
    const { headers, body } = signDelivery({ secret, payload: streamLive(n) });
    deliveries[n] = { method: 'POST', path, headers, body };
  }
  return deliveries;
}

/** The server process's CPU time so far, in microseconds (user and system). */
async function serverCpu(url) {
  // A keep-alive socket the server is just closing fails the first try: ask again.
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(new URL('/__bench/cpu', url));
      return await res.json();
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * One autocannon run in which every request carries the next unused delivery of the pool,
 * shared by all connections (autocannon's own `requests` list restarts per connection, which
 * would send duplicates). Reports whether the pool ran out (then deliveries repeat).
 */
export async function loadFastifyServer({
  url,
  deliveries,
  duration = 10,
  connections = 10,
  pipelining = 1,
}) {
  let next = 0;
  const cpuBefore = await serverCpu(url);
  const result = await autocannon({
    url,
    duration,
    connections,
    pipelining,
    requests: [
      {
        setupRequest(request) {
          const delivery = deliveries[next++ % deliveries.length];
          return { ...request, ...delivery };
        },
      },
    ],
  });
  const cpuAfter = await serverCpu(url);
  const cpuMicros = cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system;
  return {
    requestsPerSecond: result.requests.average,
    cpuMicrosPerRequest: cpuMicros / result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    poolExhausted: next > deliveries.length,
  };
}
