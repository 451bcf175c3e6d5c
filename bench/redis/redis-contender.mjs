// One contender of bench:redis in its own process, so its CPU time (process.cpuUsage) is its own:
// no other contender's heap, GC or sockets. The parent (redis.bench.mjs) forks one per kind and
// sends `{ run: count }`; the child pushes `count` fresh deliveries through its route, 32 in
// flight (CONCURRENCY), waits until everything it sent has settled, and answers with the CPU and
// wall time of that window. Deliveries are signed before the window opens.
//
//   node redis-contender.mjs <kind> <key prefix>     (kinds: see ROUTES below)
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createTraxWebhooks } from '@trax-webhooks/core';
import { RedisDeliveryStore, recommendedRedisOptions } from '@trax-webhooks/redis';
import { Redis } from 'ioredis';
import { createHandwrittenCheck } from '../support/handwritten-check.mjs';
import { presign, request } from '../support/signed-deliveries.mjs';

const [kind, prefix] = process.argv.slice(2);
const secret = process.env.BENCH_SECRET;
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const LEASE_MS = 30_000;
const TTL_MS = 600_000; // long enough for the run; every key is deleted at the end anyway
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', recommendedRedisOptions);

/**
 * The floor of a two-phase store: a claim script and a complete script, one EVALSHA each, with
 * the store's arguments (key, token, lease, keep / key, token, ttl) and its pipelining — the
 * claim is awaited, the complete is sent and not waited for, as core does after the handlers.
 */
const BARE_CLAIM = `
if redis.call('SET', KEYS[1], 'p:' .. ARGV[2] .. ':' .. ARGV[1], 'NX', 'PX', ARGV[3]) then return 0 end
return -1`;
const BARE_COMPLETE = `
redis.call('SET', KEYS[1], 'd:', 'PX', ARGV[2])
return 1`;

/** A store that remembers nothing: the receiver's cost without any store work. */
const CLAIMED = Promise.resolve({ status: 'claimed' });
const DONE = Promise.resolve(true);
const NO_OP_STORE = { claim: () => CLAIMED, complete: () => DONE, release: () => DONE };

/**
 * Claim and complete as two bare EVALSHA calls. `claim(id)` answers the claim's token, or
 * undefined when the key is taken; for bare-evalsha it also sends the complete at once (nothing
 * runs in between), for the hand-written two-phase route the caller completes after its handler.
 */
async function bareTwoPhase(pending) {
  const claimSha = await redis.script('LOAD', BARE_CLAIM);
  const completeSha = await redis.script('LOAD', BARE_COMPLETE);
  const tokenPrefix = `${randomBytes(12).toString('hex')}.`;
  let count = 0;
  const complete = (id, token) =>
    pending.push(redis.evalsha(completeSha, 1, `${prefix}{${id}}`, token, TTL_MS));
  return {
    async claim(id) {
      const token = tokenPrefix + (++count).toString(36);
      const claimed = await redis.evalsha(
        claimSha,
        1,
        `${prefix}{${id}}`,
        token,
        LEASE_MS,
        LEASE_MS + TTL_MS,
      );
      if (claimed !== 0) return undefined;
      if (kind === 'bare-evalsha') complete(id, token);
      return token;
    },
    complete,
    settled: async () => {
      await Promise.all(pending);
      pending.length = 0;
    },
  };
}

/** What each kind does per delivery; `pending` collects work sent but not waited for. */
async function buildRoute(pending) {
  if (kind === 'memory' || kind === 'redis' || kind === 'no-op-store') {
    const store =
      kind === 'redis'
        ? new RedisDeliveryStore(redis, { prefix, leaseMs: LEASE_MS, ttlMs: TTL_MS })
        : kind === 'no-op-store'
          ? NO_OP_STORE
          : undefined;
    const webhooks = createTraxWebhooks({ secret, store });
    webhooks.onStreamLive(() => {});
    return {
      handle: async (delivery) => (await webhooks.receive(request(delivery))).status,
      settled: () => webhooks.drain(),
    };
  }
  if (kind === 'handwritten-set-nx') {
    // What most people write: verify, one `SET NX`, the handler. A failing handler loses the
    // event (the key is set before it runs), which is what the two-phase store exists to avoid.
    const check = createHandwrittenCheck(secret);
    const handler = () => {};
    return {
      handle: async (delivery) => {
        const { headers, rawBody } = request(delivery);
        const checked = check(headers, rawBody);
        if (checked.status !== 200) return checked.status;
        const fresh = await redis.set(`${prefix}${headers['webhook-id']}`, '1', 'PX', TTL_MS, 'NX');
        if (fresh !== null) handler(checked.event);
        return 200;
      },
      settled: async () => {},
    };
  }
  if (kind === 'bare-evalsha' || kind === 'handwritten-two-phase') {
    const twoPhase = await bareTwoPhase(pending);
    if (kind === 'bare-evalsha') {
      // The delivery id as the key, like the store's `${prefix}{${id}}`; no verify, no parse.
      return {
        handle: async (delivery) => ((await twoPhase.claim(delivery.idString)) ? 200 : 500),
        settled: twoPhase.settled,
      };
    }
    // A hand-written route that does not lose events: verify, claim, the handler, complete.
    const check = createHandwrittenCheck(secret);
    const handler = () => {};
    return {
      handle: async (delivery) => {
        const { headers, rawBody } = request(delivery);
        const checked = check(headers, rawBody);
        if (checked.status !== 200) return checked.status;
        const token = await twoPhase.claim(headers['webhook-id']);
        if (token === undefined) return 500;
        handler(checked.event);
        twoPhase.complete(headers['webhook-id'], token);
        return 200;
      },
      settled: twoPhase.settled,
    };
  }
  throw new Error(`unknown contender ${kind}`);
}

const pending = [];
const route = await buildRoute(pending);
let signed = 0;

/**
 * With PROFILE_DIR set, each measured window (and only it: not the signing before it) is
 * profiled through the inspector and written as `<kind>-<n>.cpuprofile`.
 */
const profileDir = process.env.PROFILE_DIR;
const session = profileDir ? new Session() : undefined;
let profiles = 0;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
}

/** Runs `count` fresh deliveries, CONCURRENCY in flight; answers CPU µs and wall ms of the window. */
async function run(count, profile) {
  const pool = presign(secret, count, signed);
  signed += count;
  for (const delivery of pool) delivery.idString = delivery.id.toString('latin1');
  let next = 0;
  async function worker() {
    while (next < pool.length) {
      const status = await route.handle(pool[next++]);
      if (status !== 200) throw new Error(`${kind} answered ${status}`);
    }
  }
  if (profile && session) await session.post('Profiler.start');
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await route.settled();
  const wallMs = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  if (profile && session) {
    const { profile: taken } = await session.post('Profiler.stop');
    writeFileSync(`${profileDir}/${kind}-${++profiles}.cpuprofile`, JSON.stringify(taken));
  }
  return { count, cpuMicros: user + system, userMicros: user, systemMicros: system, wallMs };
}

process.on('message', async (message) => {
  try {
    if (message.run) process.send({ result: await run(message.run, message.profile) });
    if (message.stop) {
      await redis.quit();
      process.disconnect();
    }
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) });
  }
});
process.send({ ready: true });
