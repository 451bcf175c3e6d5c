// Verify + parse of one delivery, ours (both HMAC paths) against the baselines, in one run,
// in whichever runtime runs this file (Node, Bun or Deno):
//   Standard Webhooks delivery: trax-webhooks on node:crypto (the synchronous fast path) and on
//   Web Crypto (crypto.subtle.verify, async); (a) inline node:crypto HMAC + timingSafeEqual +
//   JSON.parse (the floor); (b) standardwebhooks and (c) svix, both pure-JS SHA-256 (svix
//   wraps standardwebhooks; it parses nothing, so JSON.parse is added); (d) stripe's
//   constructEvent on its own `t=…,v1=…` signature of the same payload.
//   GitHub-style body-only delivery: our githubStyleScheme on both paths against
//   @octokit/webhooks-methods' Web Crypto verify (+ JSON.parse), each on its own signature.
// Rounds alternate the order of the tasks; ratios are of the median time per op over rounds.
// Run: pnpm --filter @trax-webhooks/bench run bench:verify        (Node; ROUNDS=9 TIME_MS=600)
//      pnpm --filter @trax-webhooks/bench run bench:verify:bun    (Bun, from the `bun` package)
//      pnpm --filter @trax-webhooks/bench run bench:verify:deno   (Deno, from the `deno` package)
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  createVerifier,
  githubStyleScheme,
  parseEvent,
  signDelivery,
  stripeStyleScheme,
} from '@trax-webhooks/core';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import { Bench } from 'tinybench';
import { loadAverages, median, writeResults } from '../support/results.mjs';

// @octokit/webhooks-methods exports its Web Crypto build only under the `browser` condition;
// load that file itself, so every runtime measures the same Web verify.
const octokitWeb = await import(
  new URL('../node_modules/@octokit/webhooks-methods/dist-web/index.js', import.meta.url).href
);

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PLAIN_SECRET = 'plain_text_secret_for_hex_schemes';
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const TIME_MS = Number(process.env.TIME_MS ?? 600);
const runtime = globalThis.Bun
  ? `Bun ${globalThis.Bun.version}`
  : globalThis.Deno
    ? `Deno ${globalThis.Deno.version.deno}`
    : `Node ${process.version}`;
const runtimeName = runtime.split(' ')[0].toLowerCase();

/** A stream.live event padded with a chat-like field to `bytes` of JSON. */
function payloadOf(bytes) {
  const event = {
    type: 'stream.live',
    timestamp: new Date().toISOString(),
    data: {
      studioId: 'st_bench',
      encoderStreamId: 'enc_bench',
      liveStartedAt: new Date().toISOString(),
      mode: 'cloud',
      note: '',
    },
  };
  const base = JSON.stringify(event).length;
  event.data.note = 'x'.repeat(Math.max(0, bytes - base));
  return event;
}

async function tasksFor(bytes) {
  const payload = payloadOf(bytes);
  const signed = signDelivery({ secret: SECRET, payload });
  const rawBody = Buffer.from(signed.body); // what the Node adapters hand over (a Uint8Array)
  const headers = signed.headers;

  const oursNode = createVerifier({ secret: SECRET, crypto: 'node' });
  const oursWeb = createVerifier({ secret: SECRET, crypto: 'web' });

  const key = Buffer.from(SECRET.slice(6), 'base64');
  const inline = () => {
    const id = headers['webhook-id'];
    const ts = headers['webhook-timestamp'];
    if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) throw new Error('old');
    const expected = createHmac('sha256', key).update(`${id}.${ts}.`).update(rawBody).digest();
    const given = Buffer.from(headers['webhook-signature'].slice(3), 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new Error('bad');
    return JSON.parse(rawBody.toString('utf8'));
  };

  const standard = new Webhook(SECRET);
  const svix = new SvixWebhook(SECRET);
  const svixVerify = () => {
    svix.verify(rawBody, headers);
    return JSON.parse(rawBody.toString('utf8'));
  };

  const stripe = new Stripe('sk_test_bench_not_a_key');
  const stripeSigned = signDelivery({ secret: PLAIN_SECRET, payload, scheme: stripeStyleScheme });
  const stripeHeader = stripeSigned.headers['trax-signature'];
  const stripeBody = Buffer.from(stripeSigned.body);

  const gh = signDelivery({ secret: PLAIN_SECRET, payload, scheme: githubStyleScheme });
  const ghBody = Buffer.from(gh.body);
  const ghNode = createVerifier({
    secret: PLAIN_SECRET,
    scheme: githubStyleScheme,
    crypto: 'node',
  });
  const ghWeb = createVerifier({ secret: PLAIN_SECRET, scheme: githubStyleScheme, crypto: 'web' });
  const ghSignature = gh.headers['x-hub-signature-256'];
  const octokit = async () => {
    if (!(await octokitWeb.verify(PLAIN_SECRET, gh.body, ghSignature))) throw new Error('bad');
    return JSON.parse(gh.body);
  };

  const tasks = {
    'trax-webhooks node:crypto verify+parse': () =>
      parseEvent(rawBody, oursNode(headers, rawBody).id),
    'trax-webhooks Web Crypto verify+parse': async () =>
      parseEvent(rawBody, (await oursWeb(headers, rawBody)).id),
    '(a) inline node:crypto + JSON.parse': inline,
    '(b) standardwebhooks (pure JS)': () => standard.verify(rawBody, headers),
    '(c) svix (pure JS) + JSON.parse': svixVerify,
    // stripe picks its Web Crypto provider under Bun's and Deno's conditions: async only there.
    '(d) stripe constructEvent':
      runtimeName === 'node'
        ? () => stripe.webhooks.constructEvent(stripeBody, stripeHeader, PLAIN_SECRET)
        : () => stripe.webhooks.constructEventAsync(stripeBody, stripeHeader, PLAIN_SECRET),
    'github-style: trax-webhooks node:crypto': () =>
      parseEvent(ghBody, ghNode(gh.headers, ghBody).id),
    'github-style: trax-webhooks Web Crypto': async () =>
      parseEvent(ghBody, (await ghWeb(gh.headers, ghBody)).id),
    'github-style: @octokit/webhooks-methods Web verify + JSON.parse': octokit,
  };
  // Sanity: every contender accepts its delivery before it is timed.
  for (const [name, task] of Object.entries(tasks)) {
    const event = await task();
    if (event?.type !== 'stream.live') throw new Error(`${name} rejected its delivery`);
  }
  return tasks;
}

const results = {};
const roundRatios = {};
for (const bytes of [1024, 16 * 1024]) {
  const tasks = await tasksFor(bytes);
  const names = Object.keys(tasks);
  const perRound = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: TIME_MS, warmupTime: 200 });
    const order = round % 2 ? [...names].reverse() : names;
    for (const name of order) bench.add(name, tasks[name]);
    await bench.run();
    for (const task of bench.tasks) perRound[task.name].push(task.result.latency.mean * 1000); // µs
  }
  results[bytes] = Object.fromEntries(names.map((name) => [name, median(perRound[name])]));
  // Ratios within each round (both sides measured moments apart), then their median: steadier
  // than a ratio of medians when other processes load the machine.
  roundRatios[bytes] = (a, b) => median(perRound[a].map((micros, i) => micros / perRound[b][i]));
}

// The path `crypto: 'auto'` takes in this runtime.
const probe = signDelivery({ secret: SECRET, payload: payloadOf(10) });
const shipped = isThenable(createVerifier({ secret: SECRET })(probe.headers, probe.body))
  ? 'trax-webhooks Web Crypto verify+parse'
  : 'trax-webhooks node:crypto verify+parse';

console.log(
  `verify + parse, median of ${ROUNDS} rounds × ${TIME_MS} ms, ${runtime}, load ${loadAverages()}`,
);
console.log(`crypto: 'auto' here takes: ${shipped}`);
for (const [bytes, row] of Object.entries(results)) {
  const ours = row[shipped];
  console.log(`\n${bytes / 1024} KB delivery`);
  console.log('| contender | µs/op (median) | time vs the shipped path |');
  console.log('|---|---:|---:|');
  for (const [name, micros] of Object.entries(row))
    console.log(`| ${name} | ${micros.toFixed(2)} | ${(micros / ours).toFixed(2)}× |`);
}

const peers = ['(b) standardwebhooks (pure JS)', '(c) svix (pure JS) + JSON.parse'];
const at1k = results[1024];
const at16k = results[16384];
const fastestPeerName = (row) => peers.reduce((a, b) => (row[a] <= row[b] ? a : b));
const NODE = 'trax-webhooks node:crypto verify+parse';
const WEB = 'trax-webhooks Web Crypto verify+parse';
const INLINE = '(a) inline node:crypto + JSON.parse';
const nodeVsInline = roundRatios[1024](NODE, INLINE);
const webVsPeers16 = roundRatios[16384](fastestPeerName(at16k), WEB);
const webVsPeers1 = roundRatios[1024](fastestPeerName(at1k), WEB);
const shippedVsPeers1 = roundRatios[1024](fastestPeerName(at1k), shipped);
const nodeVsInline16 = roundRatios[16384](NODE, INLINE);
const verdict = (ok) => (ok ? 'met' : 'NOT met');
console.log(
  `\ngoals (${runtime}):` +
    ' (medians of per-round ratios)' +
    `\n  node:crypto path / inline node:crypto at 1 KB = ${nodeVsInline.toFixed(3)}× (goal ≤ 1.05×) → ${verdict(nodeVsInline <= 1.05)}; at 16 KB ${nodeVsInline16.toFixed(3)}×` +
    `\n  16 KB: fastest pure-JS peer / our Web Crypto path = ${webVsPeers16.toFixed(2)}× (goal ≥ 2×) → ${verdict(webVsPeers16 >= 2)}` +
    `\n  1 KB: fastest pure-JS peer / our Web Crypto path = ${webVsPeers1.toFixed(2)}× (reported)` +
    `\n  1 KB: fastest pure-JS peer / the shipped path = ${shippedVsPeers1.toFixed(2)}× (goal ≥ 1×) → ${verdict(shippedVsPeers1 >= 1)}`,
);
writeResults(`verify-${runtimeName}`, {
  runtime,
  load: loadAverages(),
  rounds: ROUNDS,
  timeMs: TIME_MS,
  shipped,
  microsPerOp: results,
});

function isThenable(value) {
  return typeof value?.then === 'function';
}
