// The receiving pipeline's own CPU cost per delivery, without HTTP: core's receive() with the
// default MemoryDeliveryStore and with a no-op store, against what a hand-written receiver does
// (bench/support/handwritten-check.mjs, the check bench/http's `handwritten` routes run).
//
// Why it exists: on a 2-core machine that also runs the load generator, every microsecond a
// server spends costs it more than a microsecond of req/s (the HTTP benches show it), so the
// HTTP ratios mix our cost with the machine's. Here the cost is ours alone.
//
// Every delivery is fresh (a new id, so the store claims and records each one; header strings
// made per request, as an HTTP parser does). Rounds alternate the order; medians over rounds.
// Run: pnpm --filter @trax-webhooks/bench run bench:pipeline   (ROUNDS=7 PER_ROUND=40000)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createTraxWebhooks } from '@trax-webhooks/core';
import { receiveNow } from '@trax-webhooks/core/adapter';
import { Bench } from 'tinybench';
import { createLimitReceiver } from '../limit/limit-receiver.mjs';
import { createHandwrittenCheck } from '../support/handwritten-check.mjs';
import { median } from '../support/results.mjs';
import { presign, request } from '../support/signed-deliveries.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const PER_ROUND = Number(process.env.PER_ROUND ?? 40_000);
const secret = `whsec_${randomBytes(24).toString('base64')}`;

const check = createHandwrittenCheck(secret);
/** bench/http's `handwritten` routes, minus the framework. */
async function handwritten({ headers, rawBody }) {
  return check(headers, rawBody).status;
}

/** The limit's receiver (bench/limit): same guarantees as ours, two-phase lru-cache dedupe. */
const limitReceive = createLimitReceiver(secret, () => {});
async function limit({ headers, rawBody }) {
  const answer = limitReceive(headers, rawBody);
  return (typeof answer.then === 'function' ? await answer : answer).status;
}

const noopStore = {
  claim: async () => ({ status: 'claimed' }),
  complete: async () => true,
  release: async () => true,
};
function receiver(store) {
  const webhooks = createTraxWebhooks({ secret, store });
  webhooks.onStreamLive(() => {});
  return async (req) => (await webhooks.receive(req)).status;
}
/**
 * What the Express and Fastify adapters call: `receiveNow`, the same answer as a value when
 * nothing had to be waited for, awaited only when it is a promise — as the limit's is above.
 */
function receiverNow() {
  const webhooks = createTraxWebhooks({ secret });
  webhooks.onStreamLive(() => {});
  return async (req) => {
    const answer = receiveNow(webhooks, req);
    return (typeof answer.then === 'function' ? await answer : answer).status;
  };
}
const contenders = {
  'hand-written verify + JSON.parse': handwritten,
  'the limit (bench/limit): verify, parse, two-phase lru-cache dedupe': limit,
  'receive(), no-op store': receiver(noopStore),
  'receive(), MemoryDeliveryStore (default)': receiver(undefined),
  'receiveNow(), MemoryDeliveryStore (what the adapters call)': receiverNow(),
};
const names = Object.keys(contenders);

const perRound = Object.fromEntries(names.map((name) => [name, []]));
let signed = 0;
// Round 0 is the warm-up: it fills the memory store to its steady state (100,000 remembered).
for (let round = 0; round <= ROUNDS; round++) {
  const bench = new Bench({ time: 0, iterations: PER_ROUND, warmup: false });
  const order = round % 2 ? [...names].reverse() : names;
  for (const name of order) {
    const pool = presign(secret, round === 0 ? 3 * PER_ROUND : PER_ROUND, signed);
    signed += pool.length;
    let next = 0;
    const handle = contenders[name];
    bench.add(name, async () => {
      const status = await handle(request(pool[next++ % pool.length]));
      if (status !== 200) throw new Error(`${name} answered ${status}`);
    });
  }
  await bench.run();
  if (round === 0) continue;
  for (const task of bench.tasks) {
    if (task.result.error) throw task.result.error;
    perRound[task.name].push(task.result.latency.mean * 1000); // µs
  }
}

console.log(
  `receive pipeline, ${ROUNDS} rounds × ${PER_ROUND} fresh deliveries, Node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0].toFixed(2)}\n`,
);
console.log('| contender | µs per delivery (median) | over hand-written |');
console.log('|---|---:|---:|');
const base = median(perRound[names[0]]);
for (const name of names) {
  const micros = median(perRound[name]);
  console.log(`| ${name} | ${micros.toFixed(2)} | +${(micros - base).toFixed(2)} µs |`);
}
