// CPU-profiles core's receive() alone (memory store, one handler) over fresh deliveries, and
// prints where the time went: node --cpu-prof --cpu-prof-dir=.profiles pipeline/profile-receive.mjs
import { randomBytes } from 'node:crypto';
import { createTraxWebhooks, createVerifier, parseEvent } from '@trax-webhooks/core';
import { createLimitReceiver } from '../limit/limit-receiver.mjs';
import { presign, request } from '../support/signed-deliveries.mjs';

const COUNT = Number(process.env.COUNT ?? 200_000);
const secret = `whsec_${randomBytes(24).toString('base64')}`;
// RECEIVER=limit runs the limit's receiver instead (bench/limit), for a side-by-side profile.
const limit = process.env.RECEIVER === 'limit';
const webhooks = createTraxWebhooks({ secret });
webhooks.onStreamLive(() => {});
const limitReceive = createLimitReceiver(secret, () => {});
// RECEIVER=verify-parse: only core's verification and parsing (no dedupe, no dispatch), so
// that receive() minus this is the pipeline's own cost.
const verify = createVerifier({ secret });
const verifyParse = async ({ headers, rawBody }) => {
  const { id } = verify(headers, rawBody);
  parseEvent(rawBody, id);
  return { status: 200 };
};
const receive =
  process.env.RECEIVER === 'verify-parse'
    ? verifyParse
    : limit
      ? async ({ headers, rawBody }) => {
          const answer = limitReceive(headers, rawBody);
          return typeof answer.then === 'function' ? await answer : answer;
        }
      : (req) => webhooks.receive(req);
const pool = presign(secret, COUNT, 0);
const started = performance.now();
for (let i = 0; i < COUNT; i += 32) {
  // 32 in flight at a time, as the HTTP benches load a server.
  const batch = [];
  for (let j = i; j < Math.min(i + 32, COUNT); j++) batch.push(receive(request(pool[j])));
  for (const answer of await Promise.all(batch))
    if (answer.status !== 200) throw new Error(answer.body);
}
console.error(`${(((performance.now() - started) * 1000) / COUNT).toFixed(2)} µs per delivery`);
