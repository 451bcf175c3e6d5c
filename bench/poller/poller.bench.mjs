// bench/poller: 10,000 studios polled against the mock TRaX API on loopback.
//
// Every side runs in a fresh process of its own, one at a time, so each process's CPU time is
// its own work and never the mock API's (which has its own process for the whole run):
//   poller      pollStreamStatus with its default HTTP client (its own undici Pool)
//   fetch-loop  the baseline: a hand-written loop of the global fetch + res.json() at the same
//               rate over the same studios
//   poller-fetch the poller with `fetch: globalThis.fetch` (its client before undici; shown,
//               not a goal)
// ROUNDS rounds, the order rotated each round; the figure is the median of per-round ratios.
// Once at the end: the poller's own work without HTTP (a stub fetch).
//
//   pnpm --filter @trax-webhooks/bench run bench:poller
//   ROUNDS=5 STUDIOS=10000 INTERVAL_MS=10000 BUDGET=800 CONCURRENCY=128 MEASURE_S=10 \
//     node --expose-gc poller/poller.bench.mjs
//   PROFILE_DIR=/tmp/prof …   also writes a .cpuprofile of every child process
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { goal, loadAverages, median, writeResults } from '../support/results.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const STUDIOS = Number(process.env.STUDIOS ?? 10_000);
const INTERVAL_MS = Number(process.env.INTERVAL_MS ?? 10_000);
const BUDGET = Number(process.env.BUDGET ?? 800);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 128);
const MEASURE_S = Number(process.env.MEASURE_S ?? 10);
const PROFILE_DIR = process.env.PROFILE_DIR;
const API_KEY = 'sk_bench';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const mock = fork(here('./mock-api-process.mjs'), {
  env: { ...process.env, STUDIOS: String(STUDIOS), API_KEY },
});
const { url } = await new Promise((resolve) => mock.once('message', resolve));

/** Runs one side in a fresh process and resolves what it measured, with the load meanwhile. */
function runSide(script, extraEnv) {
  const child = fork(here(script), {
    execArgv: [
      '--expose-gc',
      ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
    ],
    env: {
      ...process.env,
      URL: url,
      API_KEY,
      STUDIOS: String(STUDIOS),
      INTERVAL_MS: String(INTERVAL_MS),
      BUDGET: String(BUDGET),
      CONCURRENCY: String(CONCURRENCY),
      MEASURE_S: String(MEASURE_S),
      ...extraEnv,
    },
  });
  return new Promise((resolve, reject) => {
    let result;
    child.once('message', (message) => {
      result = message;
    });
    child.once('exit', (code) =>
      result
        ? resolve({ ...result, load: loadAverages() })
        : reject(new Error(`${script} exited ${code}`)),
    );
  });
}

const sides = {
  poller: () => runSide('./poller-process.mjs', { CLIENT: 'undici' }),
  'fetch-loop': () => runSide('./fetch-loop-process.mjs', {}),
  'poller-fetch': () => runSide('./poller-process.mjs', { CLIENT: 'fetch' }),
};
const names = Object.keys(sides);
const loadAtStart = loadAverages();
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  const order = [...names.slice(r % names.length), ...names.slice(0, r % names.length)];
  const round = { order: order.join(' → ') };
  for (const name of order) round[name] = await sides[name]();
  round.ratio = round.poller.cpuPerPollUs / round['fetch-loop'].cpuPerPollUs;
  round.ratioFetchOption = round['poller-fetch'].cpuPerPollUs / round['fetch-loop'].cpuPerPollUs;
  rounds.push(round);
  console.log(
    `round ${r + 1}/${ROUNDS} (${round.order}, load ${round.poller.load}): poller ${round.poller.cpuPerPollUs.toFixed(0)} µs, ` +
      `fetch loop ${round['fetch-loop'].cpuPerPollUs.toFixed(0)} µs, poller+fetch ${round['poller-fetch'].cpuPerPollUs.toFixed(0)} µs per poll → ${round.ratio.toFixed(2)}×`,
  );
}
const stub = await runSide('./poller-process.mjs', {
  CLIENT: 'stub',
  MEASURE_S: String(Math.max(4, MEASURE_S / 2)),
});

mock.send('stop');
await new Promise((resolve) => mock.once('exit', resolve));

const med = (side, key) => median(rounds.map((round) => round[side][key]));
const ratio = median(rounds.map((round) => round.ratio));
const ratioFetchOption = median(rounds.map((round) => round.ratioFetchOption));
const summary = {
  studios: STUDIOS,
  intervalMs: INTERVAL_MS,
  budgetRps: BUDGET,
  concurrency: CONCURRENCY,
  rounds: ROUNDS,
  measureSeconds: MEASURE_S,
  load: { start: loadAtStart, end: loadAverages() },
  pollerCpuPerPollUs: med('poller', 'cpuPerPollUs'),
  fetchLoopCpuPerPollUs: med('fetch-loop', 'cpuPerPollUs'),
  pollerFetchOptionCpuPerPollUs: med('poller-fetch', 'cpuPerPollUs'),
  stubCpuPerPollUs: stub.cpuPerPollUs,
  ratio,
  ratioFetchOption,
  pollerPollsPerSecond: med('poller', 'pollsPerSecond'),
  fetchLoopPollsPerSecond: med('fetch-loop', 'pollsPerSecond'),
  pollerFetchOptionPollsPerSecond: med('poller-fetch', 'pollsPerSecond'),
  bytesPerStudio: med('poller', 'bytesPerStudio'),
  bytesPerStudioFetchOption: med('poller-fetch', 'bytesPerStudio'),
  bytesPerStudioStub: stub.bytesPerStudio,
  busiestSecondFetchOption: Math.max(...rounds.map((round) => round['poller-fetch'].busiestSecond)),
  eventsPerSecond: med('poller', 'events') / MEASURE_S,
  errors: rounds.reduce((n, round) => n + round.poller.errors + round['poller-fetch'].errors, 0),
  stopMs: med('poller', 'stopMs'),
};
const rows = [
  ['CPU per poll, poller (default: undici Pool)', `${summary.pollerCpuPerPollUs.toFixed(0)} µs`],
  [
    'CPU per poll, bare global fetch + res.json() loop',
    `${summary.fetchLoopCpuPerPollUs.toFixed(0)} µs`,
  ],
  ['ratio poller ÷ fetch loop (median of rounds)', `${ratio.toFixed(2)}×`],
  [
    'CPU per poll, poller with fetch: globalThis.fetch',
    `${summary.pollerFetchOptionCpuPerPollUs.toFixed(0)} µs`,
  ],
  ['ratio poller+fetch ÷ fetch loop', `${ratioFetchOption.toFixed(2)}×`],
  ['CPU per poll, poller own work (stub, no HTTP)', `${summary.stubCpuPerPollUs.toFixed(0)} µs`],
  [
    'polls/s poller | fetch loop | poller+fetch',
    `${summary.pollerPollsPerSecond.toFixed(0)} | ${summary.fetchLoopPollsPerSecond.toFixed(0)} | ${summary.pollerFetchOptionPollsPerSecond.toFixed(0)}`,
  ],
  [
    'most fetch calls in any 1 s (poller+fetch, budget ' + BUDGET + ')',
    summary.busiestSecondFetchOption,
  ],
  [
    'heap per studio after GC, poller | poller+fetch | stub',
    `${(summary.bytesPerStudio / 1024).toFixed(2)} | ${(summary.bytesPerStudioFetchOption / 1024).toFixed(2)} | ${(summary.bytesPerStudioStub / 1024).toFixed(2)} KB`,
  ],
  ['events handled per second', summary.eventsPerSecond.toFixed(0)],
  ['errors', summary.errors],
  ['stop()', `${summary.stopMs.toFixed(0)} ms`],
  ['load (1/5/15 min) start → end', `${summary.load.start} → ${summary.load.end}`],
];
console.table(rows.map(([measure, value]) => ({ measure, value })));

writeResults('poller', {
  ...summary,
  perRound: rounds,
  stub,
  goals: [
    goal({
      comparison: 'poller CPU per poll ÷ bare global-fetch + JSON.parse loop (10,000 studios)',
      op: '<=',
      limit: 0.8,
      measured: Number(ratio.toFixed(3)),
      detail: `${summary.pollerCpuPerPollUs.toFixed(0)} µs vs ${summary.fetchLoopCpuPerPollUs.toFixed(0)} µs per poll at ${summary.pollerPollsPerSecond.toFixed(0)} polls/s, median of ${ROUNDS} rounds, load ${summary.load.start} → ${summary.load.end}`,
    }),
  ],
});
