// Verify + parse inside workerd (Cloudflare's runtime, through miniflare; no nodejs_compat, so
// Web Crypto): our Standard Webhooks path against standardwebhooks (pure JS), and our
// GitHub-style preset against @octokit/webhooks-methods' Web verify, at 1 KB and 16 KB.
// workerd's clocks stand still while a request computes, so the time per op is taken from
// outside: (wall time of a request doing n ops − one doing 0) / n, median over rounds.
// Run: pnpm --filter @trax-webhooks/bench run bench:verify:workerd   (ROUNDS=9 N=2000)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubStyleScheme, signDelivery } from '@trax-webhooks/core';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { loadAverages, median, writeResults } from '../support/results.mjs';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PLAIN_SECRET = 'plain_text_secret_for_hex_schemes';
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const N = Number(process.env.N ?? 2000);
const TASKS = ['ours', 'standardwebhooks', 'github-ours', 'github-octokit'];

function payloadOf(bytes) {
  const event = {
    type: 'stream.live',
    timestamp: new Date().toISOString(),
    data: {
      studioId: 'st_bench',
      encoderStreamId: 'enc',
      liveStartedAt: 'x',
      mode: 'cloud',
      note: '',
    },
  };
  event.data.note = 'x'.repeat(Math.max(0, bytes - JSON.stringify(event).length));
  return event;
}
const deliveries = {};
for (const size of [1024, 16384]) {
  const payload = payloadOf(size);
  deliveries[size] = {
    standard: signDelivery({ secret: SECRET, payload }),
    github: signDelivery({ secret: PLAIN_SECRET, payload, scheme: githubStyleScheme }),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'trax-workerd-bench-'));
await build({
  entryPoints: [new URL('./workerd-worker.mjs', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  minify: true,
  outfile: join(dir, 'worker.js'),
  logLevel: 'warning',
});
const mf = new Miniflare({
  modules: true,
  scriptPath: join(dir, 'worker.js'),
  modulesRoot: dir,
  compatibilityDate: '2024-01-01',
  bindings: { SECRET, PLAIN_SECRET, DELIVERIES: JSON.stringify(deliveries) },
  host: '127.0.0.1',
  port: 0,
});
const origin = (await mf.ready).origin;

async function timed(size, task, n) {
  const started = performance.now();
  const response = await fetch(`${origin}/?size=${size}&task=${task}&n=${n}`);
  const { passed } = await response.json();
  if (passed !== n) throw new Error(`${task} rejected its delivery`);
  return performance.now() - started;
}

const results = {};
try {
  for (const size of [1024, 16384]) {
    for (const task of TASKS) await timed(size, task, N); // warm up
    const perRound = Object.fromEntries(TASKS.map((t) => [t, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const task of round % 2 ? [...TASKS].reverse() : TASKS) {
        const base = await timed(size, task, 0);
        const full = await timed(size, task, N);
        perRound[task].push(((full - base) * 1000) / N);
      }
    }
    results[size] = Object.fromEntries(TASKS.map((t) => [t, median(perRound[t])]));
  }
} finally {
  await mf.dispose();
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `verify + parse inside workerd (miniflare), ${ROUNDS} rounds × ${N} ops, load ${loadAverages()}`,
);
for (const [size, row] of Object.entries(results)) {
  console.log(`\n${size / 1024} KB\n| contender | µs/op (median) | vs ours |\n|---|---:|---:|`);
  const base = {
    ours: row.ours,
    standardwebhooks: row.ours,
    'github-ours': row['github-ours'],
    'github-octokit': row['github-ours'],
  };
  for (const [task, micros] of Object.entries(row))
    console.log(`| ${task} | ${micros.toFixed(2)} | ${(micros / base[task]).toFixed(2)}× |`);
}
writeResults('verify-workerd', {
  load: loadAverages(),
  rounds: ROUNDS,
  n: N,
  microsPerOp: results,
});
