// Verify + parse of one delivery, ours against three baselines, in one run:
//   (a) inline node:crypto HMAC + timingSafeEqual + JSON.parse (the floor: what a careful
//       hand-written receiver does), (b) the standardwebhooks package, (c) stripe's constructEvent.
// Rounds alternate the order of the tasks; ratios are of the median time per op over rounds.
// Run: pnpm --filter @trax-webhooks/bench run bench:verify   (ROUNDS=9 TIME_MS=600 by default)
import { createHmac, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import { createVerifier, parseEvent, signDelivery, stripeStyleScheme } from '@trax-webhooks/core';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Bench } from 'tinybench';
import { median } from '../support/results.mjs';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const STRIPE_SECRET = 'whsec_stripe_style_plain_secret';
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const TIME_MS = Number(process.env.TIME_MS ?? 600);

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

function tasksFor(bytes) {
  const payload = payloadOf(bytes);
  const signed = signDelivery({ secret: SECRET, payload });
  const rawBody = Buffer.from(signed.body);
  const headers = signed.headers;

  const ours = createVerifier({ secret: SECRET });

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

  const stripe = new Stripe('sk_test_bench_not_a_key');
  const stripeSigned = signDelivery({ secret: STRIPE_SECRET, payload, scheme: stripeStyleScheme });
  const stripeHeader = stripeSigned.headers['trax-signature'];
  const stripeBody = Buffer.from(stripeSigned.body);

  // Sanity: every contender accepts its delivery before it is timed.
  const checks = [
    parseEvent(rawBody, ours(headers, rawBody).id),
    inline(),
    standard.verify(rawBody, headers),
    stripe.webhooks.constructEvent(stripeBody, stripeHeader, STRIPE_SECRET),
  ];
  for (const c of checks)
    if (c.type !== 'stream.live') throw new Error('a contender rejected its delivery');

  return {
    'trax-webhooks verify+parse': () => parseEvent(rawBody, ours(headers, rawBody).id),
    '(a) inline node:crypto + JSON.parse': inline,
    '(b) standardwebhooks': () => standard.verify(rawBody, headers),
    '(c) stripe constructEvent': () =>
      stripe.webhooks.constructEvent(stripeBody, stripeHeader, STRIPE_SECRET),
  };
}

const results = {};
for (const bytes of [1024, 16 * 1024]) {
  const tasks = tasksFor(bytes);
  const names = Object.keys(tasks);
  const perRound = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: TIME_MS, warmupTime: 200 });
    const order = round % 2 ? [...names].reverse() : names;
    for (const name of order) bench.add(name, tasks[name]);
    await bench.run();
    for (const task of bench.tasks) perRound[task.name].push(task.result.latency.mean * 1000); // µs
  }
  const ours = median(perRound[names[0]]);
  results[bytes] = names.map((name) => {
    const medianMicros = median(perRound[name]);
    return { name, medianMicros, ratioVsOurs: medianMicros / ours };
  });
}

const load = os.loadavg()[0].toFixed(2);
console.log(
  `verify + parse, median of ${ROUNDS} rounds × ${TIME_MS} ms, Node ${process.version}, load ${load}`,
);
for (const [bytes, rows] of Object.entries(results)) {
  console.log(`\n${bytes / 1024} KB delivery`);
  console.log('| contender | µs/op (median) | time vs trax-webhooks |');
  console.log('|---|---:|---:|');
  for (const r of rows)
    console.log(`| ${r.name} | ${r.medianMicros.toFixed(2)} | ${r.ratioVsOurs.toFixed(2)}× |`);
}
const at1k = Object.fromEntries(results[1024].map((r) => [r.name, r.ratioVsOurs]));
const vsInline = 1 / at1k['(a) inline node:crypto + JSON.parse'];
const vsStandard = at1k['(b) standardwebhooks'];
console.log(
  `\n1 KB goals: ours/inline = ${vsInline.toFixed(3)}× (goal ≤ 1.10×) → ${vsInline <= 1.1 ? 'met' : 'NOT met'}; standardwebhooks/ours = ${vsStandard.toFixed(2)}× (goal ≥ 2.5×) → ${vsStandard >= 2.5 ? 'met' : 'NOT met'}`,
);
