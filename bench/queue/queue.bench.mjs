// Queue mode (@trax-webhooks/bullmq), three figures in one run:
//
// 1. answer latency with a 2 s handler: the receiver's answer p50/p99 in queue mode (202 once
//    Redis has the job) against `after-handlers` (200 once the handler is done);
// 2. the receiver's extra CPU per delivery in queue mode over the memory-store receiver, ÷ the
//    CPU of one bare BullMQ `add` measured alone in the same process and run (goal ≤ 1.3×);
// 3. end-to-end events/s: one receiver process and two worker processes, every event taken from
//    the first request to its job completed.
//
// Run:  pnpm --filter @trax-webhooks/bench run bench:queue     (Redis at REDIS_URL, default local)
// Env:  PARTS=latency,cpu,e2e LATENCY_EVENTS=400 LATENCY_CONCURRENCY=20 CPU_ROUNDS=7 CPU_PER_ROUND=3000 E2E_EVENTS=5000
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createDeliveryQueue } from '@trax-webhooks/bullmq';
import { createTraxWebhooks, signDelivery } from '@trax-webhooks/core';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadAverages, median, writeResults } from '../support/results.mjs';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LATENCY_EVENTS = Number(process.env.LATENCY_EVENTS ?? 400);
const LATENCY_CONCURRENCY = Number(process.env.LATENCY_CONCURRENCY ?? 20);
const CPU_ROUNDS = Number(process.env.CPU_ROUNDS ?? 7);
const CPU_PER_ROUND = Number(process.env.CPU_PER_ROUND ?? 3_000);
const CPU_IN_FLIGHT = 32;
const E2E_EVENTS = Number(process.env.E2E_EVENTS ?? 5_000);
const GOAL = 1.3;
// Which parts to run: PARTS=cpu (comma-separated: latency, cpu, e2e).
const PARTS = new Set((process.env.PARTS ?? 'latency,cpu,e2e').split(','));
const secret = `whsec_${randomBytes(24).toString('base64')}`;
const prefixes = [];
const newPrefix = () => {
  const prefix = `trax-bench-bull:${randomUUID()}`;
  prefixes.push(prefix);
  return prefix;
};
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const fixed = (n, digits = 0) => n.toFixed(digits);

function delivery(n) {
  const now = new Date().toISOString();
  return signDelivery({
    secret,
    payload: {
      type: 'stream.live',
      timestamp: now,
      data: {
        studioId: `st_${n % 1000}`,
        encoderStreamId: `enc_${n}`,
        liveStartedAt: now,
        mode: 'cloud',
      },
    },
  });
}

async function start(script, env) {
  const child = fork(here(script), { env: { ...process.env, SECRET: secret, REDIS_URL, ...env } });
  const first = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, port: first.port };
}
const ask = (child, message) =>
  new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
const stop = (child) =>
  new Promise((resolve) => {
    child.once('exit', resolve);
    child.send('stop');
  });

/** Sends `deliveries` with `concurrency` in flight; resolves each answer's latency (ms) and status. */
async function send(url, deliveries, concurrency) {
  const results = [];
  let next = 0;
  async function lane() {
    while (next < deliveries.length) {
      const d = deliveries[next++];
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
      await response.arrayBuffer();
      results.push({ ms: performance.now() - started, status: response.status });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

console.log(`node ${process.version}, ${os.cpus().length} cpus, load average ${loadAverages()}\n`);
const results = { load: { start: loadAverages() } };

// 1. Answer latency with a 2 s handler.
if (PARTS.has('latency')) {
  const latency = {};
  for (const mode of ['queue', 'after-handlers']) {
    const prefix = newPrefix();
    const receiver = await start('queue-receiver.mjs', {
      MODE: mode,
      HANDLER_MS: '2000',
      PREFIX: prefix,
    });
    // Queue mode runs the handlers in a worker: one here, so that the jobs are really worked off.
    const worker =
      mode === 'queue'
        ? await start('queue-worker.mjs', {
            HANDLER_MS: '2000',
            PREFIX: prefix,
            CONCURRENCY: '100',
          })
        : undefined;
    const url = `http://127.0.0.1:${receiver.port}/`;
    await send(
      url,
      Array.from({ length: 40 }, (_, n) => delivery(n)),
      10,
    ); // warm-up
    const answers = await send(
      url,
      Array.from({ length: LATENCY_EVENTS }, (_, n) => delivery(n)),
      LATENCY_CONCURRENCY,
    );
    const bad = answers.filter((a) => a.status >= 300).length;
    if (bad) throw new Error(`${mode}: ${bad} answers were not 2xx`);
    const ms = answers.map((a) => a.ms);
    latency[mode] = { p50: percentile(ms, 50), p99: percentile(ms, 99), max: Math.max(...ms) };
    if (worker) await stop(worker.child);
    await stop(receiver.child);
  }
  console.log(
    `answer latency, handler of 2 s, ${LATENCY_EVENTS} deliveries, ${LATENCY_CONCURRENCY} in flight (load ${loadAverages()})\n`,
  );
  console.log('| mode | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|');
  for (const [mode, l] of Object.entries(latency)) {
    console.log(`| ${mode} | ${fixed(l.p50, 1)} | ${fixed(l.p99, 1)} | ${fixed(l.max, 1)} |`);
  }
  results.latency = latency;
}

// 2. CPU per delivery, in this process: memory-store receiver, queue-mode receiver, bare add.
if (PARTS.has('cpu')) {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const deliveryQueue = createDeliveryQueue({ connection: redis, prefix: newPrefix() });
  const bare = new Queue('bare', { connection: redis, prefix: newPrefix() });
  const memory = createTraxWebhooks({ secret });
  memory.onStreamLive(() => {});
  const queued = createTraxWebhooks({ secret, queue: deliveryQueue });
  const request = (d) => ({ headers: { ...d.headers }, rawBody: Buffer.from(d.body) });
  // Signed (and, for the bare add, parsed) before each measurement: signing is the sender's
  // work, and its garbage must not be collected on the receiver's clock.
  const contenders = {
    memory: (d) => memory.receive(request(d)).then((a) => a.status),
    queue: (d) => queued.receive(request(d)).then((a) => a.status),
    // What queue mode adds a job with, minus everything of ours: the same event, default options.
    'bare add': (d) =>
      bare
        .add('stream.live', { v: 1, key: d.id, event: d.event, deliveryId: d.id })
        .then(() => 202),
  };
  async function cpuPerOp(op, pool) {
    let next = 0;
    const before = process.cpuUsage();
    async function lane() {
      while (next < pool.length) {
        const status = await op(pool[next++]);
        if (status >= 300) throw new Error(`answered ${status}`);
      }
    }
    await Promise.all(Array.from({ length: CPU_IN_FLIGHT }, lane));
    const { user, system } = process.cpuUsage(before);
    return (user + system) / pool.length;
  }
  const perRound = { memory: [], queue: [], 'bare add': [] };
  const names = Object.keys(contenders);
  let signed = 0;
  for (let round = 0; round <= CPU_ROUNDS; round++) {
    const order = round % 2 ? [...names].reverse() : names;
    for (const name of order) {
      const pool = Array.from({ length: CPU_PER_ROUND }, () => {
        const d = delivery(signed++);
        return { ...d, event: JSON.parse(d.body) };
      });
      const cost = await cpuPerOp(contenders[name], pool);
      if (round > 0) perRound[name].push(cost);
    }
  }
  const ratios = perRound.queue.map((q, i) => (q - perRound.memory[i]) / perRound['bare add'][i]);
  const ratio = median(ratios);
  console.log(
    `\nreceiver CPU per delivery, in one process, ${CPU_ROUNDS} rounds × ${CPU_PER_ROUND}, ${CPU_IN_FLIGHT} in flight (load ${loadAverages()})\n`,
  );
  console.log('| contender | CPU µs per delivery (median) |\n|---|---:|');
  for (const name of ['memory', 'queue', 'bare add']) {
    console.log(`| ${name} | ${fixed(median(perRound[name]), 1)} |`);
  }
  console.log(
    `\n(queue − memory) ÷ bare add: ${fixed(ratio, 2)}× (goal ≤ ${GOAL}: ${ratio <= GOAL ? 'met' : 'NOT met'})`,
  );
  results.cpu = { perRound, ratios, ratio };
  await deliveryQueue.close();
  await bare.close();
  redis.disconnect();
}

// 3. End to end: one receiver, two workers, events/s.
if (PARTS.has('e2e')) {
  const prefix = newPrefix();
  const receiver = await start('queue-receiver.mjs', { MODE: 'queue', PREFIX: prefix });
  const workers = [
    await start('queue-worker.mjs', { PREFIX: prefix }),
    await start('queue-worker.mjs', { PREFIX: prefix }),
  ];
  const deliveries = Array.from({ length: E2E_EVENTS }, (_, n) => delivery(n));
  const url = `http://127.0.0.1:${receiver.port}/`;
  const started = performance.now();
  const answers = await send(url, deliveries, 32);
  const answeredMs = performance.now() - started;
  let completed = 0;
  while (completed < E2E_EVENTS) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    completed = 0;
    for (const w of workers) completed += (await ask(w.child, 'count')).completed;
  }
  const doneMs = performance.now() - started;
  const accepted = answers.filter((a) => a.status === 202).length;
  if (accepted !== E2E_EVENTS) throw new Error(`${E2E_EVENTS - accepted} deliveries not queued`);
  const e2e = {
    eventsPerSecond: E2E_EVENTS / (doneMs / 1000),
    answeredPerSecond: E2E_EVENTS / (answeredMs / 1000),
    p99AnswerMs: percentile(
      answers.map((a) => a.ms),
      99,
    ),
  };
  console.log(
    `\nend to end, ${E2E_EVENTS} events, 1 receiver + 2 workers (concurrency 50 each), 32 in flight (load ${loadAverages()})\n`,
  );
  console.log('| events/s (sent → job completed) | answered/s | answer p99 ms |\n|---:|---:|---:|');
  console.log(
    `| ${fixed(e2e.eventsPerSecond)} | ${fixed(e2e.answeredPerSecond)} | ${fixed(e2e.p99AnswerMs, 1)} |`,
  );
  results.e2e = e2e;
  for (const w of workers) await stop(w.child);
  await stop(receiver.child);
}

results.load.end = loadAverages();
writeResults('queue', results);
// Every key this run wrote.
const cleaner = new Redis(REDIS_URL);
for (const prefix of prefixes) {
  let cursor = '0';
  do {
    const [next, keys] = await cleaner.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await cleaner.del(...keys);
  } while (cursor !== '0');
}
await cleaner.quit();
