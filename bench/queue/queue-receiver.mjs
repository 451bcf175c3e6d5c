// A receiver process for bench/queue: node:http + core, either in queue mode (MODE=queue: adds to
// BullMQ, answers 202) or running a handler of HANDLER_MS before it answers (MODE=after-handlers).
// It tells the parent its port, and on request its own CPU time so far.
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDeliveryQueue } from '@trax-webhooks/bullmq';
import { createTraxWebhooks } from '@trax-webhooks/core';
import { Redis } from 'ioredis';

const env = process.env;
const handlerMs = Number(env.HANDLER_MS ?? 0);
let queue;
if (env.MODE === 'queue') {
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  queue = createDeliveryQueue({ connection: redis, prefix: env.PREFIX });
}
const webhooks = createTraxWebhooks({ secret: env.SECRET, ...(queue ? { queue } : {}) });
webhooks.onStreamLive(async () => {
  if (handlerMs > 0) await sleep(handlerMs);
});

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const answer = await webhooks.receive({ headers: req.headers, rawBody: Buffer.concat(chunks) });
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', async (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ cpuMicros: user + system });
  }
  if (message === 'stop') {
    server.close();
    server.closeAllConnections();
    await queue?.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
