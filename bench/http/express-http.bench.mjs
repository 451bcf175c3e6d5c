// Server CPU per request on Express, in one run (autocannon on loopback):
//   middleware   app.use(traxWebhooks(secret)), memory store, one handler
//   handwritten  express.raw() + node:crypto HMAC + timingSafeEqual + JSON.parse
//   json         a bare express.json() route, verifying nothing
// Each server is its own child process; it reports process.cpuUsage() over IPC before and
// after each load phase, and CPU time / completed requests is the figure (req/s alone is too
// noisy on a shared 2-core machine). Every request carries a fresh delivery id from a pool
// signed just before the phase, so the middleware's dedupe never short-cuts a request.
// Every round starts fresh server processes and warms them up; rounds rotate and reverse the
// order of the variants; the ratio reported is the median of the per-round ratios. Goal: middleware ≤ 1.05× handwritten.
// Run: pnpm --filter @trax-webhooks/bench run bench:http:express
//      (ROUNDS=11 AMOUNT=5000 CONNECTIONS=5 per server, WARMUP=10000, CONCURRENT=1 by default)
import { fork } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { signDelivery } from '@trax-webhooks/core';
import autocannon from 'autocannon';
import { median } from '../support/results.mjs';
import { BENCH_PATH, BENCH_SECRET } from './express-shared.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 11);
const AMOUNT = Number(process.env.AMOUNT ?? 5_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 5);
const WARMUP = Number(process.env.WARMUP ?? 10_000);
const VARIANTS = ['middleware', 'handwritten', 'json'];
// By default each round loads the three servers at the same time, so a burst of load from other
// processes hits all three alike and cancels out of the per-round ratio; CONCURRENT=0 loads them
// one after another instead (order rotated and reversed between rounds).
const CONCURRENT = process.env.CONCURRENT !== '0';

function startServer(variant) {
  const child = fork(new URL('./express-server.mjs', import.meta.url), [variant], {
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message) => resolve({ variant, child, port: message.port }));
  });
}

async function snapshot(server) {
  const reply = once(server.child, 'message');
  server.child.send('snapshot');
  return (await reply)[0];
}

/** `count` deliveries with distinct ids, signed now (well inside the 5-minute tolerance). */
function signPool(count) {
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) =>
    signDelivery({
      secret: BENCH_SECRET,
      timestamp,
      payload: {
        type: 'stream.live',
        timestamp: new Date().toISOString(),
        data: {
          studioId: `st_${i}`,
          encoderStreamId: 'enc_bench',
          liveStartedAt: '2026-11-27T12:00:00.000Z',
          mode: 'cloud',
        },
      },
    }),
  );
}

async function phase(server, amount) {
  // autocannon builds a request per connection up front and may build one it never sends.
  const pool = signPool(amount + CONNECTIONS * 4 + 64);
  let next = 0;
  const before = await snapshot(server);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections: CONNECTIONS,
    amount,
    requests: [
      {
        setupRequest(request) {
          const delivery = pool[next++];
          if (!delivery) throw new Error('delivery pool exhausted: ids would repeat');
          return {
            ...request,
            method: 'POST',
            path: BENCH_PATH,
            headers: delivery.headers,
            body: delivery.body,
          };
        },
      },
    ],
  });
  const after = await snapshot(server);
  const ok = result['2xx'];
  const handled = after.handled - before.handled;
  if (result.non2xx || result.errors || result.timeouts || ok !== amount || handled !== ok) {
    throw new Error(
      `${server.variant}: ${ok} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts, ${handled} handled of ${amount}`,
    );
  }
  const cpuMicros = after.cpu.user - before.cpu.user + (after.cpu.system - before.cpu.system);
  return { cpuPerRequest: cpuMicros / ok, rps: result.requests.average, p50: result.latency.p50 };
}

const loadBefore = os.loadavg();
const results = Object.fromEntries(VARIANTS.map((v) => [v, []]));
const ratios = { handwritten: [], json: [] };
for (let round = 0; round < ROUNDS; round++) {
  // Fresh processes every round: JIT decisions and core placement differ between processes,
  // and would otherwise bias a whole run one way.
  const servers = Object.fromEntries(
    await Promise.all(VARIANTS.map(async (v) => [v, await startServer(v)])),
  );
  await Promise.all(VARIANTS.map((variant) => phase(servers[variant], WARMUP)));
  const rotated = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
  const order = round % 2 ? rotated.reverse() : rotated;
  const figures = {};
  if (CONCURRENT) {
    const phases = await Promise.all(order.map((variant) => phase(servers[variant], AMOUNT)));
    order.forEach((variant, i) => {
      figures[variant] = phases[i];
    });
  } else {
    for (const variant of order) figures[variant] = await phase(servers[variant], AMOUNT);
  }
  await Promise.all(
    Object.values(servers).map((server) => {
      server.child.send('stop');
      return once(server.child, 'exit');
    }),
  );
  for (const variant of VARIANTS) results[variant].push(figures[variant]);
  ratios.handwritten.push(figures.middleware.cpuPerRequest / figures.handwritten.cpuPerRequest);
  ratios.json.push(figures.middleware.cpuPerRequest / figures.json.cpuPerRequest);
  console.error(
    `round ${round + 1}/${ROUNDS} (${order.join(' → ')}): ${VARIANTS.map((v) => `${v} ${figures[v].cpuPerRequest.toFixed(1)} µs`).join(', ')}`,
  );
}
const loadAfter = os.loadavg();

const ratio = median(ratios.handwritten);
const describe = {
  middleware: 'traxWebhooks middleware (memory store, 1 handler)',
  handwritten: 'hand-written route: express.raw + createHmac + timingSafeEqual + JSON.parse',
  json: 'bare express.json() route (no verification)',
};
console.log(
  `Express ${(await import('express/package.json', { with: { type: 'json' } })).default.version}, Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`,
);
console.log(
  `${ROUNDS} rounds × ${AMOUNT} requests per variant, ${CONNECTIONS} connections, ${WARMUP} warm-up requests each`,
);
console.log(
  `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}\n`,
);
console.log(
  '| server | CPU µs / request (median) | req/s (median) | p50 latency ms (median) | vs hand-written (median of per-round ratios) |',
);
console.log('|---|---:|---:|---:|---:|');
for (const variant of VARIANTS) {
  const rounds = results[variant];
  const versus =
    variant === 'middleware'
      ? `**${ratio.toFixed(3)}×**`
      : variant === 'handwritten'
        ? '1.000×'
        : `${(1 / median(ratios.json.map((r, i) => r / ratios.handwritten[i]))).toFixed(3)}×`;
  console.log(
    `| ${describe[variant]} | ${median(rounds.map((r) => r.cpuPerRequest)).toFixed(1)} | ${Math.round(median(rounds.map((r) => r.rps)))} | ${median(rounds.map((r) => r.p50)).toFixed(1)} | ${versus} |`,
  );
}
console.log(
  `\nper-round middleware / hand-written: ${ratios.handwritten.map((r) => r.toFixed(3)).join(', ')}`,
);
console.log(`goal ≤ 1.05×: ${ratio <= 1.05 ? 'met' : 'NOT met'} (${ratio.toFixed(3)}×)`);
