// What observing costs, in core's receive() CPU per delivery without HTTP (the bench:pipeline
// method): the same receiver, default MemoryDeliveryStore and one no-op handler, as
//   - before: core as it was before the observer hooks existed (CORE_BEFORE, a built
//     packages/core/dist/index.js of that commit; skipped when unset),
//   - no observer: today's core, no `observer` option (goal ≤ 1.01× before),
//   - otel, no SDK: `observer: traxTelemetry()` with nothing registered, the API's no-op
//     (goal ≤ 1.02× no observer),
//   - otel + SDK: the SDK's tracer (SimpleSpanProcessor → InMemorySpanExporter) and meter
//     (a reader that is never collected during the round), reported only.
// Every delivery is fresh; CPU time (process.cpuUsage) per delivery; many short rounds that
// alternate the order; figures are medians over rounds, and ratios are medians of per-round
// ratios (each round's contenders ran back to back).
// The SDK contender runs in a second process (PART=sdk) beside its own "no observer": the
// SDK's AsyncLocalStorage context manager makes every promise of the process dearer, which
// must not tax the no-SDK figures.
// Run: see build-core-before.sh for CORE_BEFORE and CORE_NOW; ROUNDS=60 PER_ROUND=20000
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createTraxWebhooks } from '@trax-webhooks/core';
import { traxTelemetry } from '@trax-webhooks/otel';
import { loadAverages, median, writeResults } from '../support/results.mjs';
import { presign, request } from '../support/signed-deliveries.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 60);
// 20,000 per round (~150 ms of CPU): getrusage counts in scheduler ticks, so a shorter round
// measures the tick more than the code (1,000 per round spread the ratios 0.73–1.42).
const PER_ROUND = Number(process.env.PER_ROUND ?? 20_000);
const secret = `whsec_${randomBytes(24).toString('base64')}`;

const PART = process.env.PART;
if (PART === undefined) {
  // Both parts (or PARTS=api / PARTS=sdk), one after the other, each in its own process.
  for (const part of (process.env.PARTS ?? 'api,sdk').split(',')) {
    execFileSync(process.execPath, [import.meta.filename], {
      stdio: 'inherit',
      env: { ...process.env, PART: part },
    });
  }
  process.exit(0);
}

let spans;
let tracerProvider;
let meterProvider;
if (PART === 'sdk') {
  // What NodeTracerProvider.register() installs, so the handlers really run inside their
  // span's context.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  spans = new InMemorySpanExporter();
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
        exportIntervalMillis: 3_600_000,
      }),
    ],
  });
}

function receiver(create, options) {
  const webhooks = create({ secret, ...options });
  webhooks.onStreamLive(() => {});
  return async (req) => (await webhooks.receive(req)).status;
}

const contenders = {};
if (PART === 'api' && process.env.CORE_BEFORE) {
  const before = await import(pathToFileURL(process.env.CORE_BEFORE).href);
  contenders['before the observer (CORE_BEFORE)'] = receiver(before.createTraxWebhooks, {});
}
// CORE_NOW: today's core built like CORE_BEFORE (build-core-before.sh HEAD now), so the
// first ratio compares two builds made the same way. The observers' ratios are against the
// package's own build, which they run on.
if (PART === 'api' && process.env.CORE_NOW) {
  const now = await import(pathToFileURL(process.env.CORE_NOW).href);
  contenders['no observer (CORE_NOW)'] = receiver(now.createTraxWebhooks, {});
}
contenders['no observer'] = receiver(createTraxWebhooks, {});
if (PART === 'api') {
  contenders['otel, no SDK (API no-op)'] = receiver(createTraxWebhooks, {
    observer: traxTelemetry(),
  });
} else {
  contenders['otel + SDK, in-memory exporter'] = receiver(createTraxWebhooks, {
    observer: traxTelemetry({ tracerProvider, meterProvider }),
  });
}
const names = Object.keys(contenders);

/**
 * The CPU this process spent per delivery (user + system, µs) over `pool`, one delivery at a
 * time. CPU time, not wall time: on a shared machine the wall clock also counts the time the
 * process waited for a core, which says more about the neighbours than about the code.
 */
async function cpuPerDelivery(handle, pool, name) {
  const start = process.cpuUsage();
  for (const delivery of pool) {
    const status = await handle(request(delivery));
    if (status !== 200) throw new Error(`${name} answered ${status}`);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / pool.length;
}

const perRound = Object.fromEntries(names.map((name) => [name, []]));
const loads = [loadAverages()];
let signed = 0;
// Round 0 is the warm-up: it fills each memory store to its steady state (100,000 remembered)
// and lets the JIT settle. Then many short rounds, contenders back to back in alternating
// order, so each round's ratio compares runs a few hundred milliseconds apart.
for (let round = 0; round <= ROUNDS; round++) {
  const order = round % 2 ? [...names].reverse() : names;
  for (const name of order) {
    const pool = presign(secret, round === 0 ? 120_000 : PER_ROUND, signed);
    signed += pool.length;
    const micros = await cpuPerDelivery(contenders[name], pool, name);
    if (round > 0) perRound[name].push(micros);
  }
  spans?.reset();
  if (round % 10 === 0) loads.push(loadAverages());
}

const ratios = (name, base) =>
  perRound[name].map((micros, i) => micros / perRound[base][i]).sort((x, y) => x - y);
const ratio = (name, base) => median(ratios(name, base));
/** The middle half of the per-round ratios: how much the machine moved the figure. */
const spread = (name, base) => {
  const sorted = ratios(name, base);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `${at(0.25).toFixed(3)}–${at(0.75).toFixed(3)}`;
};
const baseOf = {
  'no observer (CORE_NOW)': 'before the observer (CORE_BEFORE)',
  'otel, no SDK (API no-op)': 'no observer',
  'otel + SDK, in-memory exporter': 'no observer',
};
console.log(
  `observer cost in receive() (${PART === 'api' ? 'no SDK registered' : 'SDK process'}), ${ROUNDS} rounds × ${PER_ROUND} fresh deliveries, Node ${process.version}, ${os.cpus().length} cpus, load ${loads[0]} → ${loadAverages()}\n`,
);
console.log(
  '| contender | CPU µs per delivery (median) | ratio (median of rounds) | middle half of rounds | against |',
);
console.log('|---|---:|---:|---:|---|');
const rows = {};
for (const name of names) {
  const base = names.includes(baseOf[name]) ? baseOf[name] : undefined;
  const micros = median(perRound[name]);
  const r = base ? ratio(name, base) : undefined;
  const middle = base ? spread(name, base) : '—';
  rows[name] = { micros, ratio: r, middle, against: base, perRound: perRound[name] };
  console.log(
    `| ${name} | ${micros.toFixed(2)} | ${r === undefined ? '—' : `${r.toFixed(3)}×`} | ${middle} | ${base ?? '—'} |`,
  );
}
writeResults(`observer-${PART}`, { rounds: ROUNDS, perRound: PER_ROUND, loads, rows });
await tracerProvider?.shutdown();
await meterProvider?.shutdown();
