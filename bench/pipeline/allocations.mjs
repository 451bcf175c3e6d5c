// Bytes allocated per delivery by core's receiver and by the limit, in process: the heap's
// growth over a batch of fresh deliveries with a young generation large enough that no GC
// runs inside the batch (checked: the batch is refused if the heap shrank). Allocation is what
// the HTTP comparisons pay for in scavenges, with every in-flight request alive in the young
// generation; instruction counts alone (instructions.sh) do not show it.
//   node --expose-gc --max-semi-space-size=128 pipeline/allocations.mjs   (SCHEME=github)
import { createTraxWebhooks, githubStyleScheme } from '@trax-webhooks/core';
import { receiveNow } from '@trax-webhooks/core/adapter';
import { PLAIN_SECRET, STANDARD_SECRET } from '../http/bench-secrets.mjs';
import { signPool } from '../http/signed-pool.mjs';
import { createLimitReceiver } from '../limit/limit-receiver.mjs';
import { median } from '../support/results.mjs';

if (typeof globalThis.gc !== 'function') {
  throw new Error('run with --expose-gc --max-semi-space-size=128');
}
const scheme = process.env.SCHEME === 'github' ? 'github' : 'standard';
const github = scheme === 'github';
const secret = github ? PLAIN_SECRET : STANDARD_SECRET;
const BATCH = 3000;
const ROUNDS = 7;

const webhooks = createTraxWebhooks(github ? { secret, scheme: githubStyleScheme } : { secret });
webhooks.onStreamLive(() => {});
const limit = createLimitReceiver(secret, () => {}, { scheme });
const contenders = {
  'ours (receiveNow, memory store)': (headers, rawBody) =>
    receiveNow(webhooks, { headers, rawBody }),
  'the limit': limit,
  // What the loop itself allocates, taken off both.
  'empty loop': () => undefined,
};

const bytes = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
for (let round = 0; round <= ROUNDS; round++) {
  for (const [name, receive] of Object.entries(contenders)) {
    // Fresh header objects and bodies, built before the batch is measured.
    const batch = signPool(scheme, BATCH).map(({ headers, body }) => ({
      headers: { ...headers },
      body: Buffer.from(body),
    }));
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    for (const { headers, body } of batch) {
      const answer = receive(headers, body);
      if (answer !== undefined && answer.status !== 200)
        throw new Error(`${name}: ${answer.status}`);
    }
    const grown = process.memoryUsage().heapUsed - before;
    if (grown < 0) throw new Error('a GC ran inside the batch: raise --max-semi-space-size');
    if (round > 0) bytes[name].push(grown / BATCH); // round 0 only warms the JIT
  }
}
const loop = median(bytes['empty loop']);
console.log(
  `bytes allocated per delivery (${scheme}), median of ${ROUNDS} batches of ${BATCH}, loop's own taken off:`,
);
for (const name of Object.keys(contenders).slice(0, 2)) {
  console.log(`  ${name}: ${Math.round(median(bytes[name]) - loop)}`);
}
