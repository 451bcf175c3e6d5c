// Runs one HTTP comparison: every variant a server process of its own, all loaded at once from
// this process (bench/support/load-generator.mjs), in rounds with fresh processes and a rotated order. The primary
// figure is each server's CPU time per request (process.cpuUsage over the measured phase ÷
// requests answered 2xx and handled): the load generator shares the machine's two cores, so
// req/s alone mostly measures who got the CPU. Ratios are taken within a round (both sides
// loaded at the same moment) and the median of the per-round ratios is reported.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { encodeRequest, load } from '../support/load-generator.mjs';
import { goal, loadAverages, median, writeResults } from '../support/results.mjs';
import { PATH } from './bench-secrets.mjs';
import { signPool, tampered } from './signed-pool.mjs';

// 15 rounds: a round of 8–10 servers takes about 12 s here, and with 9 the median of the
// per-round ratios still moved by ±0.02 between runs (BENCHMARKS.md, session 6).
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const AMOUNT = Number(process.env.AMOUNT ?? 10_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const WARMUP = Number(process.env.WARMUP ?? 5_000);

function startServer(framework, variant) {
  const child = fork(new URL('./server-process.mjs', import.meta.url), [framework, variant], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${framework} ${variant} exited (${code})`)));
    child.once('message', ({ port }) => resolve({ variant, child, port }));
  });
}

async function snapshot(server) {
  const reply = once(server.child, 'message');
  server.child.send('snapshot');
  return (await reply)[0];
}

async function post(server, delivery) {
  const response = await fetch(`http://127.0.0.1:${server.port}${PATH}`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Before a server is timed: a valid delivery is accepted and runs the handler once, a tampered
 * one is refused, and (for receivers that dedupe) a second copy is acknowledged without running
 * the handler again. A variant that fails this is not measured.
 */
async function checkServer(server, { scheme, dedupes, frameworkOnly }) {
  // A diagnostic of the framework alone (no receiver: it answers every POST) has nothing to check.
  if (frameworkOnly) return;
  const [delivery] = signPool(scheme, 1, 900_000_000);
  const before = (await snapshot(server)).handled;
  const first = await post(server, delivery);
  const copy = await post(server, delivery);
  const bad = await post(server, tampered(signPool(scheme, 1, 900_000_001)[0]));
  const handled = (await snapshot(server)).handled - before;
  const expected = dedupes ? 1 : 2;
  if (first >= 300 || copy >= 300 || bad < 400 || bad >= 500 || handled !== expected)
    throw new Error(
      `${server.variant} failed its check: first ${first}, copy ${copy}, tampered ${bad}, handler ran ${handled}× (expected ${expected})`,
    );
}

async function phase(server, scheme, amount) {
  const host = `127.0.0.1:${server.port}`;
  const requests = signPool(scheme, amount).map((d) => encodeRequest({ host, path: PATH, ...d }));
  const before = await snapshot(server);
  const result = await load({ port: server.port, requests, connections: CONNECTIONS });
  const after = await snapshot(server);
  const ok = result['2xx'];
  const handled = after.handled - before.handled;
  if (result.non2xx || result.errors || ok !== amount || handled !== ok)
    throw new Error(
      `${server.variant}: ${ok} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, handler ran ${handled}× for ${amount}`,
    );
  const cpu = after.cpu.user - before.cpu.user + (after.cpu.system - before.cpu.system);
  return { cpuPerRequest: cpu / ok, rps: result.rps };
}

/**
 * @param {object} spec
 * @param {string} spec.name results file name (`bench/.results/<name>.json`)
 * @param {'express' | 'fastify'} spec.framework
 * @param {Record<string, { scheme: string, dedupes?: boolean, frameworkOnly?: boolean, label: string }>} spec.variants
 * @param {{ comparison: string, of: string, over: string, op: '<=' | '<', limit: number }[]} spec.goals
 */
export async function runComparison({
  name,
  framework,
  frameworkVersion,
  variants,
  goals: allGoals,
  references: allReferences = [],
}) {
  // ONLY=ours,limit runs a subset (for profiling work); results are then not written.
  // Diagnostic variants (splitting a cost between two layers) run only when ONLY names them.
  const only = process.env.ONLY?.split(',');
  const names = Object.keys(variants).filter((v) =>
    only ? only.includes(v) : !variants[v].diagnostic,
  );
  const goals = allGoals.filter((g) => names.includes(g.of) && names.includes(g.over));
  const references = allReferences.filter((r) => names.includes(r.of) && names.includes(r.over));
  const referenceRuns = references.map(() => []);
  const uptimeBefore = loadAverages();
  const rows = Object.fromEntries(names.map((v) => [v, []]));
  const ratioRuns = goals.map(() => []);
  console.error(
    `${name}: ${names.length} servers × ${CONNECTIONS} connections, warm-up ${WARMUP}, ${AMOUNT} measured per server, ${ROUNDS} rounds; load ${uptimeBefore}`,
  );
  for (let round = 0; round < ROUNDS; round++) {
    // Rotated by one each round, and reversed every other full turn: every variant starts
    // first, and follows every other, as often as the others (also with only two).
    const order = names.map((_, i) => names[(i + round) % names.length]);
    if (Math.floor(round / names.length) % 2) order.reverse();
    // Fresh processes every round: JIT decisions and core placement differ between processes.
    const servers = {};
    for (const variant of order) servers[variant] = await startServer(framework, variant);
    for (const variant of order) await checkServer(servers[variant], variants[variant]);
    await Promise.all(order.map((v) => phase(servers[v], variants[v].scheme, WARMUP)));
    const measured = await Promise.all(
      order.map((v) => phase(servers[v], variants[v].scheme, AMOUNT)),
    );
    const figures = Object.fromEntries(order.map((v, i) => [v, measured[i]]));
    for (const server of Object.values(servers)) {
      server.child.removeAllListeners('exit');
      server.child.send('stop');
    }
    await Promise.all(Object.values(servers).map((s) => once(s.child, 'exit')));
    for (const v of names) rows[v].push(figures[v]);
    references.forEach((r, i) => {
      referenceRuns[i].push(figures[r.of].cpuPerRequest / figures[r.over].cpuPerRequest);
    });
    goals.forEach((g, i) => {
      ratioRuns[i].push(figures[g.of].cpuPerRequest / figures[g.over].cpuPerRequest);
    });
    console.error(
      `round ${round + 1}/${ROUNDS} (${order.join(' → ')}): ${names.map((v) => `${v} ${figures[v].cpuPerRequest.toFixed(1)} µs`).join(', ')}`,
    );
  }
  const uptimeAfter = loadAverages();

  const table = names.map((v) => ({
    variant: v,
    label: variants[v].label,
    cpuPerRequest: median(rows[v].map((r) => r.cpuPerRequest)),
    rps: median(rows[v].map((r) => r.rps)),
  }));
  const goalRows = goals.map((g, i) =>
    goal({
      comparison: g.comparison,
      op: g.op,
      limit: g.limit,
      measured: median(ratioRuns[i]),
      detail: `per round ${Math.min(...ratioRuns[i]).toFixed(2)}–${Math.max(...ratioRuns[i]).toFixed(2)}`,
    }),
  );
  const header = `${framework} ${frameworkVersion}, Node ${process.version}, ${os.cpus().length} CPUs; ${ROUNDS} rounds × ${names.length} servers, ${CONNECTIONS} connections each, warm-up ${WARMUP}, ${AMOUNT} measured per server; load ${uptimeBefore} → ${uptimeAfter}`;
  const markdown = [
    header,
    '',
    '| receiver | server CPU µs/request (median) | req/s (median) |',
    '|---|---:|---:|',
    ...table.map((r) => `| ${r.label} | ${r.cpuPerRequest.toFixed(1)} | ${Math.round(r.rps)} |`),
    '',
    '| goal | target | measured (median of per-round ratios) | per round | met |',
    '|---|---|---:|---|---|',
    ...goalRows.map(
      (g) =>
        `| ${g.comparison} | ${g.goal} | **${g.measured.toFixed(3)}×** | ${g.detail} | ${g.met ? 'yes' : '**no**'} |`,
    ),
    ...references.map(
      (r, i) =>
        `| ${r.comparison} (reference, no goal) | — | ${median(referenceRuns[i]).toFixed(3)}× | per round ${Math.min(...referenceRuns[i]).toFixed(2)}–${Math.max(...referenceRuns[i]).toFixed(2)} | — |`,
    ),
  ].join('\n');
  console.log(markdown);
  if (only) return;
  writeResults(name, {
    command: `pnpm --filter @trax-webhooks/bench run bench:${name.replace('-', ':')}`,
    settings: { ROUNDS, AMOUNT, CONNECTIONS, WARMUP },
    load: { before: uptimeBefore, after: uptimeAfter },
    table,
    perRound: rows,
    ratios: ratioRuns,
    goals: goalRows,
    markdown,
  });
}
