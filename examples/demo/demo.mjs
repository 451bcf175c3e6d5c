// @ts-check — editors type-check this file: the handlers below get typed events.
/**
 * `pnpm demo`: everything trax-webhooks does, on loopback, in a few seconds, with no TRaX key,
 * no secret of yours and no network.
 *
 *   mock TRaX API ──poll──► poller ─────────────────────────────┐
 *        │                                                      ▼
 *        └──poll──► `trax-webhooks forward` ──signed POST──► Express receiver ──► your handlers
 *
 * Two studios, one per path: `st_polled` reaches the handlers through the in-process poller
 * (ctx.source 'poll'), `st_forwarded` through the CLI forwarder as a signed webhook that the
 * Express middleware verifies (ctx.source 'webhook'). Two studios because both paths give one
 * transition the same delivery id: with one studio, the receiver's dedupe would (rightly) run
 * the handlers once and the demo could not show both paths.
 *
 * Exits 0 with a summary when every expected event arrived, 1 when one did not.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { traxWebhooks } from '@trax-webhooks/express';
import { pollStreamStatus } from '@trax-webhooks/poller';
import { startMockTraxApi } from '@trax-webhooks/testing';
import express from 'express';

const API_KEY = 'sk_test_demo';
// A throwaway secret, made up for this run: the receiver and the forwarder share it.
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const CLI = fileURLToPath(new URL('../../packages/cli/bin/trax-webhooks.js', import.meta.url));
const POLLED = 'st_polled';
const FORWARDED = 'st_forwarded';
const TIMEOUT_MS = 10_000;
const started = Date.now();

const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(5);
const say = (text) => process.stdout.write(`${elapsed()}  ${text}\n`);

/** @type {Array<{ type: string, studioId: string, source: string, deliveryId: string }>} */
const received = [];
const waiters = new Set();
function arrived(type, studioId, source) {
  return received.some((e) => e.type === type && e.studioId === studioId && e.source === source);
}
/** Resolves once the event has reached the handlers, rejects after the deadline. */
function waitFor(type, studioId, source) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!arrived(type, studioId, source)) return;
      waiters.delete(check);
      clearTimeout(timer);
      resolve(undefined);
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`${type} for ${studioId} via ${source} did not arrive`));
    }, TIMEOUT_MS);
    waiters.add(check);
    check();
  });
}

// 1. The mock TRaX API.
const api = await startMockTraxApi({ apiKeys: [API_KEY] });
say(`mock TRaX API     ${api.url}`);

// 2. The receiver: an Express app with the webhook middleware and the app's handlers.
const webhooks = traxWebhooks(SECRET);
webhooks.onStreamLive((event, ctx) => {
  // event.data is StreamLiveData: studioId, encoderStreamId, liveStartedAt, mode.
  const { studioId, encoderStreamId, mode } = event.data;
  received.push({ type: event.type, studioId, source: ctx.source, deliveryId: ctx.deliveryId });
  say(
    `handler           stream.live    ${studioId.padEnd(13)} via ${ctx.source.padEnd(8)} encoder ${encoderStreamId}, ${mode}`,
  );
});
webhooks.onStreamOffline((event, ctx) => {
  // event.data is StreamOfflineData: endedAt, plus the session's fields when known.
  const { studioId, endedAt } = event.data;
  received.push({ type: event.type, studioId, source: ctx.source, deliveryId: ctx.deliveryId });
  say(
    `handler           stream.offline ${studioId.padEnd(13)} via ${ctx.source.padEnd(8)} ended ${endedAt}`,
  );
});
webhooks.onAny(() => {
  for (const check of [...waiters]) check();
});
webhooks.onError((error) => say(`receiver error    ${error.code}: ${error.message}`));

const app = express();
app.use(webhooks);
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
const address = server.address();
const receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/webhooks/trax`;
say(`Express receiver  ${receiverUrl}`);

// 3. Path one: the poller feeds the very same handlers in-process.
const poller = pollStreamStatus(webhooks, {
  apiKey: API_KEY,
  studios: [POLLED],
  baseUrl: api.url,
  intervalMs: 100,
  jitter: 0,
});
say(`poller            polling ${POLLED} every 100ms`);

// 4. Path two: `trax-webhooks forward`, a real child process, delivers signed webhooks.
const forwarder = spawn(
  process.execPath,
  [
    CLI,
    'forward',
    '--studio',
    FORWARDED,
    '--to',
    receiverUrl,
    '--base-url',
    api.url,
    '--interval',
    '100ms',
    '--schedule',
    '0,200ms,500ms,1s',
  ],
  {
    env: { ...process.env, TRAX_API_KEY: API_KEY, TRAX_WEBHOOK_SECRET: SECRET, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
const forwarderExit = once(forwarder, 'close');
const forwarderOutput = [];
for (const stream of [forwarder.stdout, forwarder.stderr]) {
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      forwarderOutput.push(line);
      // Show the forwarder's delivery attempts as they happen.
      if (/attempt \d+:/.test(line)) say(`forwarder         ${line.trim()}`);
    }
  });
}
say(`forwarder         trax-webhooks forward --studio ${FORWARDED} --to ${receiverUrl}`);

let failure;
try {
  // 5. Both studios go live, then offline.
  for (const studio of [POLLED, FORWARDED]) {
    const status = api.goLive(studio);
    say(`TRaX              ${studio} goes live (encoder ${status.encoderStreamId})`);
  }
  await Promise.all([
    waitFor('stream.live', POLLED, 'poll'),
    waitFor('stream.live', FORWARDED, 'webhook'),
  ]);
  for (const studio of [POLLED, FORWARDED]) {
    api.goOffline(studio);
    say(`TRaX              ${studio} goes offline`);
  }
  await Promise.all([
    waitFor('stream.offline', POLLED, 'poll'),
    waitFor('stream.offline', FORWARDED, 'webhook'),
  ]);
} catch (error) {
  failure = error;
}

// 6. Stop everything cleanly.
await poller.stop();
forwarder.kill('SIGTERM');
const [forwarderCode] = await forwarderExit;
server.closeAllConnections();
server.close();
await api.close();

const rows = [
  ['stream.live', POLLED, 'poll'],
  ['stream.live', FORWARDED, 'webhook'],
  ['stream.offline', POLLED, 'poll'],
  ['stream.offline', FORWARDED, 'webhook'],
];
process.stdout.write('\nSummary\n');
for (const [type, studio, source] of rows) {
  const ok = arrived(type, studio, source);
  const how =
    source === 'webhook'
      ? 'signed webhook, verified by the Express middleware'
      : 'polled in-process';
  process.stdout.write(
    `  ${ok ? '✓' : '✗'} ${type.padEnd(15)} ${studio.padEnd(13)} ctx.source ${`'${source}'`.padEnd(9)} (${how})\n`,
  );
}
const missing = rows.filter(([type, studio, source]) => !arrived(type, studio, source)).length;
if (failure || missing > 0 || forwarderCode !== 0) {
  if (failure) process.stdout.write(`\n✗ ${failure.message}.\n`);
  if (forwarderCode !== 0) {
    process.stdout.write(
      `\n✗ trax-webhooks forward exited ${forwarderCode}:\n${forwarderOutput.map((l) => `    ${l}`).join('\n')}\n`,
    );
  }
  process.stdout.write(
    `\nDemo failed: ${missing} of ${rows.length} expected events did not reach the handlers.\n`,
  );
  process.exit(1);
}
process.stdout.write(
  `\nDemo OK: the same handlers ran for ${rows.length} events through both paths in ${elapsed().trim()}.\n` +
    'Today: poll (pollStreamStatus) or forward (trax-webhooks forward). When TRaX ships webhooks: register the URL and delete the poller.\n',
);
