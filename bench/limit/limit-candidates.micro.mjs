// The review's micro-benchmarks (bench/limit/REVIEW.md): for each step of the limit, the way it
// is written against the alternatives a reviewer would suspect, in process, with tinybench.
// Rounds alternate the order of the tasks; each figure is the median over rounds of
// candidate ÷ baseline (same round). Short by design (the machine is shared):
//   [ONLY=<group>] node bench/limit/limit-candidates.micro.mjs [rounds=5] [ms per task=150]

import { isUtf8 } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { unlinkSync, writeFileSync } from 'node:fs';
import { LRUCache } from 'lru-cache';
import { Bench } from 'tinybench';
import { loadAverages, median, writeResults } from '../support/results.mjs';
import { createLimitReceiver } from './limit-receiver.mjs';

// The receiver as first written, from git, beside this file (so it resolves lru-cache).
const FIRST = '6dc464c';
const copy = new URL(`./.limit-receiver-${FIRST}.tmp.mjs`, import.meta.url);
writeFileSync(copy, execFileSync('git', ['show', `${FIRST}:bench/limit/limit-receiver.mjs`]));
const { createLimitReceiver: original } = await import(copy.href);
unlinkSync(copy);

const ROUNDS = Number(process.argv[2] ?? 5);
const TIME_MS = Number(process.argv[3] ?? 150);

const secretBytes = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
const keyObject = createSecretKey(secretBytes);
const body = Buffer.from(
  JSON.stringify({
    type: 'stream.live',
    timestamp: '2026-12-01T12:00:00.000Z',
    data: {
      studioId: 'st_1',
      encoderStreamId: 'enc_1',
      liveStartedAt: '2026-12-01T12:00:00.000Z',
      mode: 'cloud',
    },
  }),
);
const id = 'msg_2a4c8e0f1b3d5f7a9c0e2f4a6b8d0c1e';
const ts = '1764590400';
const prefix = `${id}.${ts}.`;
const expectedText = createHmac('sha256', keyObject).update(prefix).update(body).digest('base64');
const header = `v1,${expectedText}`;
const scratchExpected = Buffer.alloc(64);
const scratchCandidate = Buffer.alloc(64);
const oneChunk = [body];
const bigBody = Buffer.from(
  JSON.stringify({
    type: 'chat.message',
    timestamp: 't',
    data: { studioId: 'st_1', text: 'Grüße 配信中 '.repeat(900) },
  }),
);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

let sink;
/** Each group: the baseline (what the limit did) first, then the candidates. */
const groups = {
  'hmac key': {
    'KeyObject (limit)': () =>
      (sink = createHmac('sha256', keyObject).update(prefix).update(body).digest('base64')),
    'Buffer key': () =>
      (sink = createHmac('sha256', secretBytes).update(prefix).update(body).digest('base64')),
  },
  'hmac updates': {
    'two updates (limit)': () =>
      (sink = createHmac('sha256', keyObject).update(prefix).update(body).digest('base64')),
    'one update of a concat': () =>
      (sink = createHmac('sha256', keyObject)
        .update(Buffer.concat([Buffer.from(prefix), body]))
        .digest('base64')),
  },
  'compare one candidate': {
    'base64 text, Buffer.from per candidate (limit)': () => {
      const expected = Buffer.from(
        createHmac('sha256', keyObject).update(prefix).update(body).digest('base64'),
      );
      sink = timingSafeEqual(Buffer.from(header.slice(3), 'latin1'), expected);
    },
    'base64 text, header as one latin1 Buffer, subarray per candidate': () => {
      const expected = Buffer.from(
        createHmac('sha256', keyObject).update(prefix).update(body).digest('base64'),
      );
      const bytes = Buffer.from(header, 'latin1');
      sink = timingSafeEqual(bytes.subarray(3, 3 + expected.length), expected);
    },
    'base64 text, both written into preallocated scratch Buffers': () => {
      const text = createHmac('sha256', keyObject).update(prefix).update(body).digest('base64');
      const n = scratchExpected.write(text, 'latin1');
      scratchCandidate.write(header.slice(3), 'latin1');
      sink = timingSafeEqual(scratchCandidate.subarray(0, n), scratchExpected.subarray(0, n));
    },
    'raw digest, candidate base64-decoded (lenient!)': () => {
      const expected = createHmac('sha256', keyObject).update(prefix).update(body).digest();
      const candidate = Buffer.from(header.slice(3), 'base64');
      sink = candidate.length === expected.length && timingSafeEqual(candidate, expected);
    },
  },
  'signature header scan': {
    'indexOf loop (limit)': () => {
      let n = 0;
      let start = 0;
      while (start < header.length) {
        let end = header.indexOf(' ', start);
        if (end < 0) end = header.length;
        if (header.startsWith('v1,', start) && end - start - 3 === 44) n++;
        start = end + 1;
      }
      sink = n;
    },
    'split(" ")': () => {
      let n = 0;
      for (const entry of header.split(' '))
        if (entry.startsWith('v1,') && entry.length === 47) n++;
      sink = n;
    },
  },
  'body to event': {
    'toString + JSON.parse (limit: lax UTF-8)': () => (sink = JSON.parse(body.toString('utf8'))),
    'isUtf8 + toString + JSON.parse (strict)': () =>
      (sink = isUtf8(body) ? JSON.parse(body.toString('utf8')) : undefined),
    'TextDecoder fatal+ignoreBOM + JSON.parse (strict)': () =>
      (sink = JSON.parse(strictUtf8.decode(body))),
  },
  'body to event, 16 KiB non-ASCII body': {
    'toString + JSON.parse (limit: lax UTF-8)': () => (sink = JSON.parse(bigBody.toString('utf8'))),
    'isUtf8 + toString + JSON.parse (strict)': () =>
      (sink = isUtf8(bigBody) ? JSON.parse(bigBody.toString('utf8')) : undefined),
    'TextDecoder fatal+ignoreBOM + JSON.parse (strict)': () =>
      (sink = JSON.parse(strictUtf8.decode(bigBody))),
  },
  'body handed over (Fastify parseAs buffer copies)': {
    'one chunk as it is (limit now)': () => (sink = oneChunk[0]),
    'Buffer.concat of one chunk (parseAs buffer)': () =>
      (sink = Buffer.concat(oneChunk, body.length)),
  },
  'receive() whole: new id, sync handler': (() => {
    // A new id per call (else the dedupe answers "duplicate"), so each call signs its own
    // delivery first: the same extra HMAC on both sides, which dilutes the ratio, not biases it.
    const timestamp = String(Math.floor(Date.now() / 1000));
    let i = 0;
    const run = (create) => {
      const receive = create(`whsec_${secretBytes.toString('base64')}`, () => {});
      return () => {
        const deliveryId = `msg_${i++}`;
        const mac = createHmac('sha256', keyObject)
          .update(`${deliveryId}.${timestamp}.`)
          .update(body);
        const headers = {
          'webhook-id': deliveryId,
          'webhook-timestamp': timestamp,
          'webhook-signature': `v1,${mac.digest('base64')}`,
        };
        sink = receive(headers, body);
        if (sink.status !== 200) throw new Error(`status ${sink.status}`);
      };
    };
    return {
      'as first written (6dc464c)': run(original),
      'as reviewed (now)': run(createLimitReceiver),
    };
  })(),
  'dedupe (new id)': (() => {
    const byGet = new LRUCache({ max: 100_000 });
    const byPeek = new LRUCache({ max: 100_000 });
    const withTtl = new LRUCache({ max: 100_000, ttl: 600_000 });
    let i = 0;
    const claim = (cache, read) => () => {
      const key = `msg_${i++}`;
      if (cache[read](key) === undefined) {
        cache.set(key, 1);
        cache.set(key, 2);
      }
    };
    return {
      'get, set, set; max only (limit)': claim(byGet, 'get'),
      'peek, set, set; max only': claim(byPeek, 'peek'),
      'get, set, set; max + ttl': claim(withTtl, 'get'),
    };
  })(),
};

const load = { before: loadAverages() };
console.log(`load before: ${load.before}`);
const results = {};
// ONLY=<substring of a group's name> runs those groups alone (to re-measure on a busy machine).
const only = process.env.ONLY;
for (const [group, tasks] of Object.entries(groups)) {
  if (only && !group.includes(only)) continue;
  const names = Object.keys(tasks);
  const ratios = Object.fromEntries(names.slice(1).map((n) => [n, []]));
  const baseline = [];
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: TIME_MS, warmupTime: 50 });
    const order = round % 2 ? [...names].reverse() : names;
    for (const name of order) bench.add(name, tasks[name]);
    await bench.run();
    const ns = Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.latency.mean * 1e6]));
    baseline.push(ns[names[0]]);
    for (const n of names.slice(1)) ratios[n].push(ns[n] / ns[names[0]]);
  }
  results[group] = { baseline: names[0], baselineNs: median(baseline), ratios: {} };
  console.log(`\n${group}: ${names[0]} ${median(baseline).toFixed(0)} ns`);
  for (const n of names.slice(1)) {
    results[group].ratios[n] = median(ratios[n]);
    console.log(`  ${n}: ${median(ratios[n]).toFixed(3)}×`);
  }
}
load.after = loadAverages();
console.log(`\nload after: ${load.after}`);
writeResults('limit-candidates', { rounds: ROUNDS, timeMs: TIME_MS, load, results, goals: [] });
