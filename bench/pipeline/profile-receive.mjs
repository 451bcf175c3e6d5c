// CPU-profiles core's receive() alone (memory store, one handler) over fresh deliveries, and
// prints where the time went: node --cpu-prof --cpu-prof-dir=.profiles pipeline/profile-receive.mjs
import { randomBytes } from 'node:crypto';
import {
  createTraxWebhooks,
  createVerifier,
  githubStyleScheme,
  parseEvent,
} from '@trax-webhooks/core';
import { PLAIN_SECRET } from '../http/bench-secrets.mjs';
import { signPool } from '../http/signed-pool.mjs';
import { createLimitReceiver } from '../limit/limit-receiver.mjs';
import { presign, request } from '../support/signed-deliveries.mjs';

const COUNT = Number(process.env.COUNT ?? 200_000);
// SCHEME=github: the GitHub-style preset (and the limit's GitHub-style scheme), the pair of
// @octokit/webhooks; the default is Standard Webhooks.
const github = process.env.SCHEME === 'github';
const secret = github ? PLAIN_SECRET : `whsec_${randomBytes(24).toString('base64')}`;
const scheme = github ? githubStyleScheme : undefined;
// RECEIVER=limit runs the limit's receiver instead (bench/limit), for a side-by-side profile.
const limit = process.env.RECEIVER === 'limit';
const webhooks = createTraxWebhooks({ secret, scheme });
webhooks.onStreamLive(() => {});
const limitReceive = createLimitReceiver(secret, () => {}, {
  scheme: github ? 'github' : 'standard',
});
// RECEIVER=verify-parse: only core's verification and parsing (no dedupe, no dispatch), so
// that receive() minus this is the pipeline's own cost.
const verify = createVerifier({ secret, scheme });
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
const pool = github ? githubPool(COUNT) : presign(secret, COUNT, 0);
const fresh = github ? githubRequest : request;
const started = performance.now();
for (let i = 0; i < COUNT; i += 32) {
  // 32 in flight at a time, as the HTTP benches load a server.
  const batch = [];
  for (let j = i; j < Math.min(i + 32, COUNT); j++) batch.push(receive(fresh(pool[j])));
  for (const answer of await Promise.all(batch))
    if (answer.status !== 200) throw new Error(answer.body);
}
console.error(`${(((performance.now() - started) * 1000) / COUNT).toFixed(2)} µs per delivery`);

/** GitHub-style deliveries (bench/http's), kept as bytes so each request rebuilds its strings. */
function githubPool(count) {
  return signPool('github', count).map(({ headers, body }) => ({
    headers: Buffer.from(JSON.stringify(headers)),
    body: Buffer.from(body),
  }));
}

function githubRequest(delivery) {
  return { headers: JSON.parse(delivery.headers.toString()), rawBody: Buffer.from(delivery.body) };
}
