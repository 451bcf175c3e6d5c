// Checks that the limit gives every guarantee it claims (bench/limit/REVIEW.md), through real
// HTTP against both mounts: a limit that skips a check would be a limit nobody can honestly
// be measured against. Not a benchmark, not part of vitest: `node bench/limit/limit.check.mjs`
// (or `pnpm --filter @trax-webhooks/bench check:limit`); runs every case, prints
// each, and exits non-zero when any fails.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { signDelivery } from '@trax-webhooks/core';
import express from 'express';
import Fastify from 'fastify';
import { mountExpressLimit } from './express-limit.mjs';
import { registerFastifyLimit } from './fastify-limit.mjs';
import { BODY_LIMIT } from './limit-receiver.mjs';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PATH = '/webhooks/trax';
const KEY = Buffer.from(SECRET.slice(6), 'base64');

/** The handler every case steers: `behave` decides what it does, `calls` counts its runs. */
const handler = { calls: 0, behave: () => {}, last: undefined };
function onEvent(event) {
  handler.calls++;
  handler.last = event;
  return handler.behave(event);
}

const envelope = (extra = {}) => ({
  type: 'stream.live',
  timestamp: new Date().toISOString(),
  data: { studioId: 'st_1', mode: 'cloud', ...extra },
});
const now = () => Math.floor(Date.now() / 1000);

/** A signed delivery; `body` may be raw bytes (signed as they are, not as text). */
function signed({ payload = envelope(), body, id, timestamp } = {}) {
  if (body === undefined) return signDelivery({ secret: SECRET, payload, id, timestamp });
  const d = signDelivery({ secret: SECRET, payload: '{}', id, timestamp });
  const sig = createHmac('sha256', KEY)
    .update(`${d.id}.${d.timestamp}.`)
    .update(body)
    .digest('base64');
  return { ...d, body, headers: { ...d.headers, 'webhook-signature': `v1,${sig}` } };
}

/**
 * POSTs with node:http, which (unlike fetch) sends repeated header lines (array values),
 * latin1 header bytes, and a body in several chunks (`chunks`, chunked encoding).
 */
function post(port, { headers, body, chunks }) {
  return new Promise((resolve, reject) => {
    const req = request(
      { port, host: '127.0.0.1', path: PATH, method: 'POST', headers, agent: false },
      (res) => {
        const parts = [];
        res.on('data', (c) => parts.push(c));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode, headers: res.headers, json });
        });
      },
    );
    // An early answer (413) may close the socket while we still write: the answer is what counts.
    req.on('error', (error) => (error.code === 'EPIPE' ? undefined : reject(error)));
    if (chunks) {
      (async () => {
        for (const c of chunks) {
          req.write(c);
          await new Promise((r) => setImmediate(r));
        }
        req.end();
      })();
    } else req.end(body);
  });
}

const without = (headers, name) => {
  const copy = { ...headers };
  delete copy[name];
  return copy;
};

/** Every case: a name and a function of the port that throws on failure. */
const cases = [
  [
    'a valid delivery runs the handler once and answers 200',
    async (port) => {
      const d = signed();
      const r = await post(port, d);
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { ok: true });
      assert.equal(handler.calls, 1);
      assert.deepEqual(handler.last, JSON.parse(d.body));
    },
  ],
  [
    'the content type is not what decides: none, or text/plain, still verifies',
    async (port) => {
      for (const type of [undefined, 'text/plain']) {
        const d = signed();
        const headers = without(d.headers, 'content-type');
        if (type) headers['content-type'] = type;
        assert.equal((await post(port, { headers, body: d.body })).status, 200, String(type));
      }
      assert.equal(handler.calls, 2);
    },
  ],
  [
    'the same delivery after completion is a 200 duplicate, handler not run',
    async (port) => {
      const d = signed();
      assert.equal((await post(port, d)).status, 200);
      const r = await post(port, d);
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { ok: true, duplicate: true });
      assert.equal(handler.calls, 1);
    },
  ],
  ...['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [
    `a delivery without ${name} is 400`,
    async (port) => {
      const d = signed();
      const r = await post(port, { ...d, headers: without(d.headers, name) });
      assert.equal(r.status, 400);
      assert.equal(handler.calls, 0);
    },
  ]),
  [
    'an empty webhook-id, webhook-timestamp or webhook-signature is 400, even when signed',
    async (port) => {
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
        const d = signed();
        const headers = { ...d.headers, [name]: '' };
        if (name !== 'webhook-signature') {
          // Signed over the empty value, so only the header check can refuse it.
          const content = `${headers['webhook-id']}.${headers['webhook-timestamp']}.`;
          const sig = createHmac('sha256', KEY).update(content).update(d.body).digest('base64');
          headers['webhook-signature'] = `v1,${sig}`;
        }
        assert.equal((await post(port, { headers, body: d.body })).status, 400, name);
      }
      assert.equal(handler.calls, 0);
    },
  ],
  [
    'a repeated webhook-signature line (joined with ", ") still finds the valid one',
    async (port) => {
      for (const order of [0, 1]) {
        const d = signed();
        const valid = d.headers['webhook-signature'];
        const other = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
        const lines = order === 0 ? [valid, other] : [other, valid];
        const r = await post(port, { ...d, headers: { ...d.headers, 'webhook-signature': lines } });
        assert.equal(r.status, 200, `valid line ${order === 0 ? 'first' : 'second'}`);
      }
      assert.equal(handler.calls, 2);
    },
  ],
  [
    'a repeated webhook-id or webhook-timestamp line is refused',
    async (port) => {
      for (const name of ['webhook-id', 'webhook-timestamp']) {
        const d = signed();
        const v = d.headers[name];
        const r = await post(port, { ...d, headers: { ...d.headers, [name]: [v, v] } });
        assert.ok(r.status === 400 || r.status === 401, `${name}: status ${r.status}`);
      }
      assert.equal(handler.calls, 0);
    },
  ],
  [
    'a non-numeric, NaN, infinite or fractional-garbage timestamp is 401 (never waved through)',
    async (port) => {
      for (const ts of ['abc', 'NaN', 'Infinity', '-Infinity', '1e400', '0x', `${now()}abc`]) {
        // Signed over the bad text itself, so only the window check can refuse it.
        const d = signDelivery({ secret: SECRET, payload: envelope() });
        const sig = createHmac('sha256', KEY)
          .update(`${d.id}.${ts}.`)
          .update(d.body)
          .digest('base64');
        const headers = { ...d.headers, 'webhook-timestamp': ts, 'webhook-signature': `v1,${sig}` };
        const r = await post(port, { headers, body: d.body });
        assert.equal(r.status, 401, `timestamp ${JSON.stringify(ts)}`);
      }
      assert.equal(handler.calls, 0);
    },
  ],
  [
    'the replay window is 5 minutes in both directions',
    async (port) => {
      for (const [offset, status] of [
        [-310, 401],
        [310, 401],
        [-290, 200],
        [290, 200],
      ]) {
        const r = await post(port, signed({ timestamp: now() + offset }));
        assert.equal(r.status, status, `offset ${offset}s`);
      }
      assert.equal(handler.calls, 2);
    },
  ],
  [
    'a wrong signature, a wrong secret, a wrong version or a tampered body is 401',
    async (port) => {
      const d = signed();
      const other = signDelivery({
        secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        payload: d.body,
        id: d.id,
        timestamp: d.timestamp,
      });
      const sig = d.headers['webhook-signature'].slice(3);
      for (const headers of [
        { ...d.headers, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` },
        other.headers,
        { ...d.headers, 'webhook-signature': `v2,${sig}` },
        { ...d.headers, 'webhook-signature': `v1a,${sig}` },
        { ...d.headers, 'webhook-signature': sig },
        { ...d.headers, 'webhook-signature': `v1,${sig.slice(0, -1)}` }, // no padding
        { ...d.headers, 'webhook-signature': `v1,${sig}=` },
      ])
        assert.equal((await post(port, { headers, body: d.body })).status, 401);
      assert.equal((await post(port, { headers: d.headers, body: `${d.body} ` })).status, 401);
      assert.equal(handler.calls, 0);
    },
  ],
  [
    'any one valid candidate among several (wrong lengths, wrong values) passes',
    async (port) => {
      const d = signed();
      const valid = d.headers['webhook-signature'];
      const list = [
        'v1,short',
        `v1,${'A'.repeat(200)}`,
        `v1,${Buffer.alloc(32, 1).toString('base64')}`,
        'v1a,x',
        valid,
        'v1,',
      ];
      const r = await post(port, {
        ...d,
        headers: { ...d.headers, 'webhook-signature': list.join(' ') },
      });
      assert.equal(r.status, 200);
      const none = list.filter((s) => s !== valid).join(' ');
      const d2 = signed();
      const r2 = await post(port, { ...d2, headers: { ...d2.headers, 'webhook-signature': none } });
      assert.equal(r2.status, 401);
      assert.equal(handler.calls, 1);
    },
  ],
  [
    'non-ASCII (latin1) bytes in a candidate of the right length do not match',
    async (port) => {
      const d = signed();
      const sig = d.headers['webhook-signature'].slice(3);
      // Same length in characters; `\u00c1` is one latin1 byte on the wire.
      const forged = `v1,\u00c1${sig.slice(1)}`;
      const r = await post(port, { ...d, headers: { ...d.headers, 'webhook-signature': forged } });
      assert.equal(r.status, 401);
      assert.equal(handler.calls, 0);
    },
  ],
  [
    'a non-ASCII UTF-8 body verifies over its bytes and reaches the handler intact',
    async (port) => {
      const d = signed({ payload: envelope({ title: 'Grüße — 配信中 🎥' }) });
      assert.equal((await post(port, d)).status, 200);
      assert.equal(handler.last.data.title, 'Grüße — 配信中 🎥');
    },
  ],
  [
    'a signed body of invalid UTF-8 is 400, not handed over with U+FFFD',
    async (port) => {
      const body = Buffer.concat([
        Buffer.from('{"type":"stream.live","timestamp":"t","data":{"studioId":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}}'),
      ]);
      assert.equal((await post(port, signed({ body }))).status, 400);
      assert.equal(handler.calls, 0);
    },
  ],
  [
    'a signed body with a byte-order mark is 400 (signed bytes are never dropped)',
    async (port) => {
      const body = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(JSON.stringify(envelope())),
      ]);
      assert.equal((await post(port, signed({ body }))).status, 400);
      assert.equal(handler.calls, 0);
    },
  ],
  [
    'a signed body that is not JSON, or not an envelope, is 400',
    async (port) => {
      for (const body of [
        '',
        '{',
        'not json',
        'null',
        '[]',
        '"x"',
        '1',
        '{"type":"stream.live","timestamp":"t"}',
        '{"type":"stream.live","timestamp":"t","data":null}',
        '{"type":"stream.live","timestamp":"t","data":[]}',
        '{"type":1,"timestamp":"t","data":{}}',
        '{"type":"","timestamp":"t","data":{}}',
        '{"type":"x","data":{}}',
        '{"type":"x","timestamp":1,"data":{}}',
      ]) {
        const r = await post(port, signed({ body: Buffer.from(body) }));
        assert.equal(r.status, 400, body);
      }
      assert.equal(handler.calls, 0);
    },
  ],
  [
    'a body of exactly the limit, sent in many chunks, is read whole and verified',
    async (port) => {
      const head = JSON.stringify(envelope({ pad: '' })).slice(0, -3); // ends `"pad":"`
      const pad = 'x'.repeat(BODY_LIMIT - head.length - 3);
      const body = `${head}${pad}"}}`;
      assert.equal(Buffer.byteLength(body), BODY_LIMIT);
      const d = signed({ payload: body });
      const bytes = Buffer.from(body);
      const chunks = [];
      for (let i = 0; i < bytes.length; i += 64 * 1024 + 7)
        chunks.push(bytes.subarray(i, i + 64 * 1024 + 7));
      const r = await post(port, { headers: d.headers, chunks });
      assert.equal(r.status, 200);
      assert.equal(handler.last.data.pad.length, pad.length);
    },
  ],
  [
    'a body split mid-character across chunks is still the same bytes',
    async (port) => {
      const d = signed({ payload: envelope({ t: 'é🎥é' }) });
      const bytes = Buffer.from(d.body);
      const at = bytes.indexOf(0xf0) + 2; // inside the 4-byte emoji
      const r = await post(port, {
        headers: d.headers,
        chunks: [bytes.subarray(0, at), bytes.subarray(at)],
      });
      assert.equal(r.status, 200);
      assert.equal(handler.last.data.t, 'é🎥é');
    },
  ],
  [
    'a declared Content-Length over the limit is 413, the handler never runs',
    async (port) => {
      const d = signed();
      const body = Buffer.alloc(BODY_LIMIT + 1, 0x20);
      const r = await post(port, {
        headers: { ...d.headers, 'content-length': String(body.length) },
        body,
      });
      assert.equal(r.status, 413);
      assert.equal(handler.calls, 0);
    },
  ],
  [
    'an undeclared (chunked) body over the limit is 413',
    async (port) => {
      const d = signed();
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const r = await post(port, {
        headers: d.headers,
        chunks: [chunk, chunk, chunk, chunk, Buffer.from(' ')],
      });
      assert.equal(r.status, 413);
      assert.equal(handler.calls, 0);
    },
  ],
  [
    'a handler that throws answers 500 and releases: the retry runs it again',
    async (port) => {
      const d = signed();
      handler.behave = () => {
        throw new Error('boom');
      };
      assert.equal((await post(port, d)).status, 500);
      handler.behave = () => {};
      const r = await post(port, d);
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { ok: true });
      assert.equal(handler.calls, 2);
    },
  ],
  [
    'a handler that rejects answers 500 and releases: the retry runs it again',
    async (port) => {
      const d = signed();
      handler.behave = async () => {
        throw new Error('boom');
      };
      assert.equal((await post(port, d)).status, 500);
      handler.behave = async () => {};
      assert.deepEqual((await post(port, d)).json, { ok: true });
      assert.equal((await post(port, d)).json.duplicate, true);
      assert.equal(handler.calls, 2);
    },
  ],
  [
    'a copy while the first is in flight gets 409 + Retry-After; after, a 200 duplicate',
    async (port) => {
      const d = signed();
      let finish;
      handler.behave = () => new Promise((r) => (finish = r));
      const first = post(port, d);
      while (finish === undefined) await new Promise((r) => setTimeout(r, 5));
      const copy = await post(port, d);
      assert.equal(copy.status, 409);
      assert.equal(copy.headers['retry-after'], '1');
      finish();
      assert.deepEqual((await first).json, { ok: true });
      assert.deepEqual((await post(port, d)).json, { ok: true, duplicate: true });
      assert.equal(handler.calls, 1);
    },
  ],
  [
    'a forged copy of a real id claims nothing: the real delivery still runs',
    async (port) => {
      const d = signed();
      const forged = {
        ...d.headers,
        'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}`,
      };
      assert.equal((await post(port, { headers: forged, body: d.body })).status, 401);
      assert.deepEqual((await post(port, d)).json, { ok: true });
      assert.equal(handler.calls, 1);
    },
  ],
];

async function listenExpress() {
  const app = express();
  mountExpressLimit(app, { secret: SECRET, path: PATH, onEvent });
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { port: server.address().port, close: () => new Promise((r) => server.close(r)) };
}

async function listenFastify() {
  const app = Fastify();
  registerFastifyLimit(app, { secret: SECRET, path: PATH, onEvent });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: app.server.address().port, close: () => app.close() };
}

let failed = 0;
for (const [mount, listen] of [
  ['express', listenExpress],
  ['fastify', listenFastify],
]) {
  const { port, close } = await listen();
  for (const [name, run] of cases) {
    handler.calls = 0;
    handler.behave = () => {};
    handler.last = undefined;
    try {
      await run(port);
      console.log(`ok   ${mount}: ${name}`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${mount}: ${name}\n     ${error.message.split('\n').join('\n     ')}`);
    }
  }
  await close();
}
console.log(failed === 0 ? `all ${cases.length * 2} checks pass` : `${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
