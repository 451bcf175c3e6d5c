// One Express server for the HTTP benchmark, run as a child process so its CPU time can be
// measured on its own. `node express-server.mjs <variant>`:
//   middleware   app.use(traxWebhooks(secret)) with the memory store and one handler
//   handwritten  express.raw() + createHmac + timingSafeEqual + JSON.parse (a careful
//                hand-written Standard Webhooks receiver, timestamp window included)
//   json         a bare express.json() route: no verification at all (the floor)
// Over IPC it answers 'snapshot' with { cpu: process.cpuUsage(), handled } and says
// { ready, port } once listening.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { traxWebhooks } from '@trax-webhooks/express';
import express from 'express';
import { BENCH_PATH, BENCH_SECRET } from './express-shared.mjs';

const variant = process.argv[2];
let handled = 0;
/** The one "business" handler every variant runs. */
function onEvent(event) {
  if (event.type === 'stream.live') handled++;
}

const app = express();
// Same app settings everywhere; no ETag hashing, so the baselines are as lean as Express gets.
app.set('etag', false);
app.set('x-powered-by', false);

if (variant === 'middleware') {
  const webhooks = traxWebhooks(BENCH_SECRET);
  webhooks.onStreamLive(onEvent);
  app.use(webhooks);
} else if (variant === 'handwritten') {
  const key = Buffer.from(BENCH_SECRET.slice('whsec_'.length), 'base64');
  app.post(BENCH_PATH, express.raw({ type: 'application/json' }), (req, res) => {
    const id = req.headers['webhook-id'];
    const timestamp = req.headers['webhook-timestamp'];
    const signatures = req.headers['webhook-signature'];
    if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') {
      res.status(400).json({ ok: false });
      return;
    }
    if (Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > 300) {
      res.status(401).json({ ok: false });
      return;
    }
    const expected = Buffer.from(
      createHmac('sha256', key).update(`${id}.${timestamp}.`).update(req.body).digest('base64'),
    );
    const valid = signatures.split(' ').some((entry) => {
      const candidate = Buffer.from(entry.slice(entry.indexOf(',') + 1));
      return (
        entry.startsWith('v1,') &&
        candidate.length === expected.length &&
        timingSafeEqual(candidate, expected)
      );
    });
    if (!valid) {
      res.status(401).json({ ok: false });
      return;
    }
    onEvent(JSON.parse(req.body.toString('utf8')));
    res.json({ ok: true });
  });
} else if (variant === 'json') {
  app.post(BENCH_PATH, express.json(), (req, res) => {
    onEvent(req.body);
    res.json({ ok: true });
  });
} else {
  throw new Error(`unknown variant ${variant}`);
}

const server = app.listen(0, '127.0.0.1', () => {
  process.send({ ready: true, port: server.address().port });
});
process.on('message', (message) => {
  if (message === 'snapshot') process.send({ cpu: process.cpuUsage(), handled });
  if (message === 'stop') server.close(() => process.exit(0));
});
