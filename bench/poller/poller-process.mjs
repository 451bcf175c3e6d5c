// One poller in a process of its own, so process.cpuUsage() is the poller's alone: scheduling,
// budget, HTTP client, JSON, diff and dispatch through core (memory delivery store).
//
//   CLIENT=undici  the default: the poller's own undici Pool
//   CLIENT=fetch   the `fetch` option with the global fetch (what the poller used before)
//   CLIENT=stub    a fetch answering from memory: the poller's own work, no HTTP
//
// Sends one message: { cpuPerPollUs, polls, pollsPerSecond, bytesPerStudio, … }.
import { setTimeout as sleep } from 'node:timers/promises';
import { createTraxWebhooks } from '@trax-webhooks/core';
import { pollStreamStatus } from '@trax-webhooks/poller';
import { busiestSecond, heapAfterGc } from './process-measures.mjs';
import { stubStreamStatusFetch } from './stub-stream-status-fetch.mjs';

const { URL: API_URL, API_KEY, CLIENT } = process.env;
const STUDIOS = Number(process.env.STUDIOS);
const INTERVAL_MS = Number(process.env.INTERVAL_MS);
const BUDGET = Number(process.env.BUDGET);
const CONCURRENCY = Number(process.env.CONCURRENCY);
const MEASURE_S = Number(process.env.MEASURE_S);

const heapBefore = await heapAfterGc();
const webhooks = createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
let events = 0;
let errors = 0;
webhooks.onAny(() => {
  events++;
});
webhooks.onError(() => {
  errors++;
});

// Every request's start, at the moment `fetch` is called, to check the budget held (the
// default client has no such hook; the budget's own tests cover it).
let recording = false;
const sent = [];
const stub = CLIENT === 'stub' ? stubStreamStatusFetch(STUDIOS) : undefined;
const clientOptions =
  CLIENT === 'fetch'
    ? {
        fetch: (url, init) => {
          if (recording) sent.push(performance.now());
          return fetch(url, init);
        },
      }
    : CLIENT === 'stub'
      ? { fetch: stub.fetch }
      : {};
const poller = pollStreamStatus(webhooks, {
  apiKey: API_KEY,
  studios: Array.from({ length: STUDIOS }, (_, i) => `st_${i}`),
  baseUrl: API_URL,
  intervalMs: INTERVAL_MS,
  maxRequestsPerSecond: BUDGET,
  concurrency: CONCURRENCY,
  timeoutMs: 10_000,
  ...clientOptions,
});

// The first round spreads over one interval; after it every studio has state and a session,
// and the JIT has seen every path.
await sleep(INTERVAL_MS + 1000);
// Heap after GC, every studio polled at least once: state, session, schedule, dedupe entries,
// and the HTTP client with its in-flight requests.
const bytesPerStudio = ((await heapAfterGc()) - heapBefore) / STUDIOS;

const requests0 = poller.stats().requests;
recording = true;
const events0 = events;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await sleep(MEASURE_S * 1000);
const cpu = process.cpuUsage(cpu0);
const seconds = (performance.now() - t0) / 1000;
recording = false;
const polls = poller.stats().requests - requests0;
const handled = events - events0;
const stopStarted = performance.now();
await poller.stop();
const stopMs = performance.now() - stopStarted;
stub?.stop();

process.send({
  cpuPerPollUs: (cpu.user + cpu.system) / polls,
  polls,
  pollsPerSecond: polls / seconds,
  busiestSecond: sent.length > 0 ? busiestSecond(sent) : undefined,
  events: handled,
  errors,
  bytesPerStudio,
  stopMs,
});
process.disconnect();
