// One Express server for the HTTP benchmark, run as a child process so its CPU time can be
// measured on its own. `node express-server.mjs <variant>`:
//   middleware   app.use(traxWebhooks(secret)) with the memory store and one handler
//   handwritten  express.raw() + the hand-written Standard Webhooks check every receiver
//                bench shares (bench/support/handwritten-check.mjs)
//   json         a bare express.json() route: no verification at all (the floor)
// Over IPC it answers 'snapshot' with { cpu: process.cpuUsage(), handled } and says
// { ready, port } once listening.
import { traxWebhooks } from '@trax-webhooks/express';
import express from 'express';
import { createHandwrittenCheck } from '../support/handwritten-check.mjs';
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
  const check = createHandwrittenCheck(BENCH_SECRET);
  app.post(BENCH_PATH, express.raw({ type: 'application/json' }), (req, res) => {
    const { status, event } = check(req.headers, req.body);
    if (status !== 200) {
      res.status(status).json({ ok: false });
      return;
    }
    onEvent(event);
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
