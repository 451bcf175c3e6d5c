// bench/poller: 10,000 studios polled against the mock TRaX API on loopback.
//
// The mock API runs in a child process, so this process's CPU time is the poller's own
// (scheduling, budget, fetch client, JSON, diffing, dispatch through core), not the server's.
// Baseline in the same run: a bare `fetch` (with a timeout signal) + `JSON.parse` loop at the
// same request rate against the same mock — what any hand-written poller pays at minimum.
//
//   pnpm --filter @trax-webhooks/bench bench:poller
//   STUDIOS=10000 INTERVAL_MS=10000 BUDGET=800 MEASURE_S=20 node --expose-gc poller/poller.bench.mjs
import { fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createTraxWebhooks } from '@trax-webhooks/core';
import { pollStreamStatus } from '@trax-webhooks/poller';
import { loadAverages } from '../support/results.mjs';

const STUDIOS = Number(process.env.STUDIOS ?? 10_000);
const INTERVAL_MS = Number(process.env.INTERVAL_MS ?? 10_000);
const BUDGET = Number(process.env.BUDGET ?? 800);
const MEASURE_S = Number(process.env.MEASURE_S ?? 20);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 128);
const API_KEY = 'sk_bench';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

const mock = fork(fileURLToPath(new URL('./mock-api-process.mjs', import.meta.url)), {
  env: { ...process.env, STUDIOS: String(STUDIOS), API_KEY },
});
const { url } = await new Promise((resolve) => mock.once('message', resolve));

const heapNow = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed;
};
const cpuMs = (usage) => (usage.user + usage.system) / 1000;
const studioUrl = (i) => `${url}/v1/studios/st_${i}/stream-status`;
const headers = { authorization: `Bearer ${API_KEY}`, accept: 'application/json' };

/** The most requests that started within any 1 s window. */
function busiestSecond(times) {
  let best = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

// --- The poller's own work, no HTTP: a stub fetch answering from memory ---
// CPU per poll of scheduling, budget, parsing, diffing and dispatch through core alone, and the
// memory each studio costs once it has state (slope against an empty poller, so fixed costs such
// as compiled code do not count).
function stubApi() {
  const live = new Map();
  for (let i = 0; i < STUDIOS; i += 2)
    live.set(`st_${i}`, {
      encoderStreamId: `enc_${i}`,
      liveStartedAt: new Date().toISOString(),
      mode: 'cloud',
    });
  const noHeaders = { get: () => null };
  let changes = 0;
  const churn = setInterval(() => {
    for (let n = 0; n < Math.ceil(STUDIOS / 200); n++) {
      const id = `st_${Math.floor(Math.random() * STUDIOS)}`;
      if (live.has(id) && Math.random() < 0.5) live.delete(id);
      else
        live.set(id, {
          encoderStreamId: `enc_x${++changes}`,
          liveStartedAt: new Date().toISOString(),
          mode: 'cloud',
        });
    }
  }, 1000);
  const fetchStub = async (input) => {
    const id = input.slice(input.lastIndexOf('/studios/') + 9, input.lastIndexOf('/stream-status'));
    const session = live.get(id);
    const text = JSON.stringify(
      session
        ? { live: true, ...session }
        : { live: false, encoderStreamId: null, liveStartedAt: null, mode: null },
    );
    return { status: 200, headers: noHeaders, text: async () => text };
  };
  return { fetchStub, stop: () => clearInterval(churn) };
}

/** Heap per studio once every studio has been polled once and the poller sits idle between rounds. */
async function memoryPerStudio(studios) {
  const stub = stubApi();
  stub.stop(); // no churn: a still picture
  const webhooks = createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
  webhooks.onAny(() => {});
  const heap0 = await heapNow();
  const poller = pollStreamStatus(webhooks, {
    apiKey: API_KEY,
    studios: Array.from({ length: studios }, (_, i) => `st_${i}`),
    intervalMs: 600_000,
    random: () => 0, // every first poll at once, then nothing for ten minutes
    maxRequestsPerSecond: 1_000_000,
    concurrency: 1_000,
    fetch: stub.fetchStub,
  });
  while (poller.stats().requests < studios || poller.stats().inFlight > 0) await sleep(50);
  await sleep(200);
  const perStudio = ((await heapNow()) - heap0) / studios;
  await poller.stop();
  return perStudio;
}

/** CPU per poll of the poller's own work, polling steadily against the stub. */
async function logicOnly(studios, measureSeconds) {
  const stub = stubApi();
  const webhooks = createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
  let handled = 0;
  webhooks.onAny(() => {
    handled++;
  });
  const intervalMs = 2000;
  const poller = pollStreamStatus(webhooks, {
    apiKey: API_KEY,
    studios: Array.from({ length: studios }, (_, i) => `st_${i}`),
    intervalMs,
    maxRequestsPerSecond: 1_000_000,
    concurrency: 1_000,
    fetch: stub.fetchStub,
  });
  await sleep(intervalMs * 1.5);
  const requests0 = poller.stats().requests;
  const cpu0 = process.cpuUsage();
  await sleep(measureSeconds * 1000);
  const cpu = cpuMs(process.cpuUsage(cpu0));
  const polls = poller.stats().requests - requests0;
  await poller.stop();
  stub.stop();
  return { cpuPerPollUs: (cpu * 1000) / polls, polls, handled };
}

const bytesPerStudio = await memoryPerStudio(STUDIOS);
const logic = await logicOnly(STUDIOS, Math.max(4, MEASURE_S / 3));

// --- Baseline: bare fetch + JSON.parse at the same rate (BUDGET/s, CONCURRENCY at most) ---
async function baseline(seconds) {
  let done = 0;
  let inFlight = 0;
  let next = 0;
  const perTick = BUDGET / 100;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const timer = setInterval(() => {
    for (let n = 0; n < perTick && inFlight < CONCURRENCY; n++) {
      inFlight++;
      const id = next++ % STUDIOS;
      // With a timeout, as any poller that must not hang needs.
      fetch(studioUrl(id), { headers, signal: AbortSignal.timeout(10_000) })
        .then((res) => res.text())
        .then((text) => {
          JSON.parse(text);
          done++;
        })
        .finally(() => inFlight--);
    }
  }, 10);
  await sleep(seconds * 1000);
  clearInterval(timer);
  while (inFlight > 0) await sleep(5);
  const elapsed = (performance.now() - t0) / 1000;
  return {
    requests: done,
    rps: done / elapsed,
    cpuPerRequestUs: (cpuMs(process.cpuUsage(cpu0)) * 1000) / done,
  };
}

// Warm the fetch client and the JIT, then measure the baseline.
await baseline(2);
const base = await baseline(Math.max(5, MEASURE_S / 2));

// --- The poller ---
const heapBefore = await heapNow();
const webhooks = createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
let events = 0;
let errors = 0;
webhooks.onAny(() => {
  events++;
});
webhooks.onError(() => {
  errors++;
});
let recording = false;
const sent = [];
const countingFetch = (input, init) => {
  if (recording) sent.push(performance.now());
  return fetch(input, init);
};
const poller = pollStreamStatus(webhooks, {
  apiKey: API_KEY,
  studios: Array.from({ length: STUDIOS }, (_, i) => `st_${i}`),
  baseUrl: url,
  intervalMs: INTERVAL_MS,
  maxRequestsPerSecond: BUDGET,
  concurrency: CONCURRENCY,
  timeoutMs: 10_000,
  fetch: countingFetch,
});

// The first round spreads over one interval; then every studio has state and a session.
await sleep(INTERVAL_MS + 2000);
const heapSteady = await heapNow();
const eventsBefore = events;
const requestsBefore = poller.stats().requests;
recording = true;
// Sample what holds the rate back: a full queue with free slots means the budget binds; all
// slots busy means the API's latency (concurrency) does.
const samples = { n: 0, waiting: 0, inFlight: 0, budgetBound: 0 };
const sampler = setInterval(() => {
  const { waiting, inFlight } = poller.stats();
  samples.n++;
  samples.waiting += waiting;
  samples.inFlight += inFlight;
  if (waiting > 0 && inFlight < CONCURRENCY) samples.budgetBound++;
}, 50);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await sleep(MEASURE_S * 1000);
clearInterval(sampler);
const cpu = cpuMs(process.cpuUsage(cpu0));
const elapsed = (performance.now() - t0) / 1000;
recording = false;
const requests = poller.stats().requests - requestsBefore;
const stopStarted = performance.now();
await poller.stop();
const stopMs = performance.now() - stopStarted;

mock.send('stop');
await new Promise((resolve) => mock.once('exit', resolve));

const needed = STUDIOS / (INTERVAL_MS / 1000);
const cpuPerPollUs = (cpu * 1000) / requests;
const result = {
  node: process.version,
  load: loadAverages(),
  studios: STUDIOS,
  intervalMs: INTERVAL_MS,
  budgetRps: BUDGET,
  neededRps: needed,
  concurrency: CONCURRENCY,
  measuredSeconds: elapsed.toFixed(1),
  polls: requests,
  rps: (requests / elapsed).toFixed(1),
  busiestSecond: busiestSecond(sent),
  avgQueued: (samples.waiting / samples.n).toFixed(0),
  avgInFlight: (samples.inFlight / samples.n).toFixed(1),
  budgetBoundShare: `${((samples.budgetBound / samples.n) * 100).toFixed(0)}%`,
  events: events - eventsBefore,
  errors,
  cpuPerPollUs: cpuPerPollUs.toFixed(1),
  baselineCpuPerRequestUs: base.cpuPerRequestUs.toFixed(1),
  ratioToBaseline: (cpuPerPollUs / base.cpuPerRequestUs).toFixed(2),
  cpuShareOfOneCore: `${((cpu / 1000 / elapsed) * 100).toFixed(1)}%`,
  logicOnlyCpuPerPollUs: logic.cpuPerPollUs.toFixed(1),
  logicOnlyShareOfHttpPoll: `${((logic.cpuPerPollUs / cpuPerPollUs) * 100).toFixed(1)}%`,
  bytesPerStudio: Math.round(bytesPerStudio),
  bytesPerStudioWithHttpClient: Math.round((heapSteady - heapBefore) / STUDIOS),
  stopMs: stopMs.toFixed(1),
};
console.table(Object.entries(result).map(([metric, value]) => ({ metric, value })));
console.log(JSON.stringify(result));
