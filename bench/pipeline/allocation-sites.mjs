// Where each delivery's bytes are allocated, by the function that allocates them: a sampling
// heap profile (one sample every 32 bytes, collected objects kept) over 20,000 fresh
// deliveries after 30,000 of warm-up, for core's receiveNow() or the limit. Run with inlining
// off, or every allocation is charged to whichever function TurboFan inlined it into:
//   node --no-turbo-inlining pipeline/allocation-sites.mjs      (SCHEME=github, WHO=limit)
// allocations.mjs gives the total with inlining on; this gives the split, to find what to cut.
import { Session } from 'node:inspector/promises';
import { createTraxWebhooks, githubStyleScheme } from '@trax-webhooks/core';
import { receiveNow } from '@trax-webhooks/core/adapter';
import { PLAIN_SECRET, STANDARD_SECRET } from '../http/bench-secrets.mjs';
import { signPool } from '../http/signed-pool.mjs';
import { createLimitReceiver } from '../limit/limit-receiver.mjs';

const scheme = process.env.SCHEME === 'github' ? 'github' : 'standard';
const secret = scheme === 'github' ? PLAIN_SECRET : STANDARD_SECRET;
const who = process.env.WHO === 'limit' ? 'limit' : 'ours';
const COUNT = 20_000;
const TOP = Number(process.env.TOP ?? 25);

const webhooks = createTraxWebhooks(
  scheme === 'github' ? { secret, scheme: githubStyleScheme } : { secret },
);
webhooks.onStreamLive(() => {});
const limit = createLimitReceiver(secret, () => {}, { scheme });
const receive =
  who === 'limit' ? limit : (headers, rawBody) => receiveNow(webhooks, { headers, rawBody });

/** Fresh header objects and bodies, as an HTTP parser hands them over. */
const deliveries = (count) =>
  signPool(scheme, count).map(({ headers, body }) => ({
    headers: { ...headers },
    body: Buffer.from(body),
  }));
for (const { headers, body } of deliveries(30_000)) receive(headers, body);

const batch = deliveries(COUNT);
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 32,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
for (const { headers, body } of batch) {
  const answer = receive(headers, body);
  if (answer.status !== 200) throw new Error(`${who} answered ${answer.status}`);
}
const { profile } = await session.post('HeapProfiler.stopSampling');

const bySite = new Map();
let total = 0;
const visit = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const site = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  if (node.selfSize > 0) {
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    total += node.selfSize;
  }
  for (const child of node.children) visit(child);
};
visit(profile.head);
console.log(`${who}, ${scheme}: ${(total / COUNT).toFixed(0)} bytes sampled per delivery`);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
  console.log(`${(bytes / COUNT).toFixed(0).padStart(6)}  ${site}`);
}
