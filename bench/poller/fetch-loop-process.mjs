// The baseline, in a process of its own: what a user writes by hand to poll stream-status —
// the global `fetch` (with a timeout signal, as a poller that must not hang needs) and
// `res.json()` — at the poller's rate (BUDGET per second, at most CONCURRENCY in flight) over
// the same studios, against the same mock API. Sends { cpuPerPollUs, polls, pollsPerSecond }.
import { setTimeout as sleep } from 'node:timers/promises';
import { busiestSecond } from './process-measures.mjs';

const { URL: API_URL, API_KEY } = process.env;
const STUDIOS = Number(process.env.STUDIOS);
const BUDGET = Number(process.env.BUDGET);
const CONCURRENCY = Number(process.env.CONCURRENCY);
const MEASURE_S = Number(process.env.MEASURE_S);
const WARM_S = Number(process.env.BASELINE_WARM_S ?? 3);

const headers = { authorization: `Bearer ${API_KEY}`, accept: 'application/json' };
let done = 0;
let failed = 0;
let inFlight = 0;
let next = 0;
let recording = false;
const sent = [];
// Paced as the poller's budget paces it: a request may start once the one BUDGET requests
// before it started more than a second ago (a sliding window), at most CONCURRENCY in flight;
// woken, like the poller, by a timer for the next free slot or by a request ending.
const starts = new Array(BUDGET).fill(Number.NEGATIVE_INFINITY);
let oldest = 0;
let timer;
let running = true;
function pump() {
  clearTimeout(timer);
  timer = undefined;
  while (running && inFlight < CONCURRENCY) {
    const now = performance.now();
    const wait = starts[oldest] + 1001 - now;
    if (wait > 0) {
      timer = setTimeout(pump, wait);
      return;
    }
    starts[oldest] = now;
    oldest = (oldest + 1) % BUDGET;
    inFlight++;
    if (recording) sent.push(now);
    fetch(`${API_URL}/v1/studios/st_${next++ % STUDIOS}/stream-status`, {
      headers,
      signal: AbortSignal.timeout(10_000),
    })
      .then((res) => res.json())
      .then(
        () => done++,
        () => failed++,
      )
      .finally(() => {
        inFlight--;
        pump();
      });
  }
}
pump();

await sleep(WARM_S * 1000);
recording = true;
const done0 = done;
const cpu0 = process.cpuUsage();
const m0 = performance.now();
await sleep(MEASURE_S * 1000);
const cpu = process.cpuUsage(cpu0);
const seconds = (performance.now() - m0) / 1000;
recording = false;
const polls = done - done0;
running = false;
clearTimeout(timer);
while (inFlight > 0) await sleep(5);

process.send({
  cpuPerPollUs: (cpu.user + cpu.system) / polls,
  polls,
  pollsPerSecond: polls / seconds,
  busiestSecond: busiestSecond(sent),
  errors: failed,
});
process.disconnect();
