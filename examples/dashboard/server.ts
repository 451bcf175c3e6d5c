/**
 * `pnpm dashboard` (or `pnpm start` here): the go-live dashboard. `--help` lists the flags.
 *
 *   --feed poll     mock TRaX API ──poll──► poller ───────────────────────────► handlers ──► page
 *   --feed forward  mock TRaX API ──poll──► trax-webhooks forward ──signed POST──► handlers ──► page
 *   --feed trax     TRaX ──signed POST──► handlers ──► page  (+ stream-status with TRAX_API_KEY)
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { formatDuration, UsageError } from '@trax-webhooks/cli';
import { createDashboardApp } from './create-dashboard-app.js';
import {
  type DashboardOptions,
  dashboardHelp,
  type FeedKind,
  parseDashboardOptions,
} from './dashboard-options.js';
import type { Feed } from './feed.js';
import { startForwardFeed } from './start-forward-feed.js';
import { startPollFeed } from './start-poll-feed.js';
import { startTraxFeed } from './start-trax-feed.js';

// `pnpm dashboard -- --feed forward` hands the `--` on: it only separates pnpm's flags from ours.
const argv = process.argv.slice(2);
if (argv[0] === '--') argv.shift();

let options: DashboardOptions | 'help';
try {
  options = parseDashboardOptions(argv, process.env);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\nRun with --help for the options.\n`);
  process.exit(2);
}
if (options === 'help') {
  process.stdout.write(`${dashboardHelp}\n`);
  process.exit(0);
}

const every = `every ${formatDuration(options.intervalMs)}`;
const feedDescription = {
  poll: `mock TRaX API → poller (${every})`,
  forward: `mock TRaX API → trax-webhooks forward (${every}) → signed webhooks`,
  trax: `TRaX webhooks${options.apiKey ? ` + stream-status polled ${every}` : ''}`,
}[options.feed];

// The mock feeds make up a secret for the run (the forwarder gets it through its environment);
// it is never printed.
const secret = options.secret ?? `whsec_${randomBytes(24).toString('base64')}`;
const { app, webhooks, sse } = createDashboardApp({
  secret,
  feedDescription,
  studios: options.studios,
  dedupeOnContent: options.feed === 'trax',
  controls: options.feed !== 'trax',
});

const server = app.listen(options.port, options.host);
try {
  await once(server, 'listening');
} catch (error) {
  process.stderr.write(
    `The dashboard cannot listen on ${options.host}:${options.port}: ${(error as Error).message}. Try --port 0.\n`,
  );
  process.exit(1);
}
const { port } = server.address() as AddressInfo;
const origin = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
const receiverUrl = `${origin}${webhooks.path}`;

// The poller hands its events to the receiver: its observer logs them as it logs webhooks.
const sink = webhooks;
const { studios, intervalMs, mockPort, apiKey, baseUrl } = options;
function startFeed(kind: FeedKind): Promise<Feed> | Feed {
  switch (kind) {
    case 'poll':
      return startPollFeed({ sink, studios, intervalMs, mockPort });
    case 'forward':
      return startForwardFeed({
        receiverUrl,
        secret,
        studios,
        intervalMs,
        mockPort,
        print: (line) => console.log(line),
      });
    case 'trax':
      return startTraxFeed({ sink, receiverUrl, studios, intervalMs, apiKey, baseUrl });
  }
}

let feed: Feed;
try {
  feed = await startFeed(options.feed);
} catch (error) {
  // Typically the mock API's port is taken (another mock API, another dashboard).
  process.stderr.write(
    `The ${options.feed} feed did not start: ${(error as Error).message}. Try --mock-port 0.\n`,
  );
  server.close();
  process.exit(1);
}

console.log(`TRaX go-live dashboard: ${origin}/`);
console.log(`feed: ${feedDescription}`);
for (const note of feed.notes) console.log(note);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // The feed first (nothing more is delivered), then the pages, then the receiver.
  await feed.stop();
  sse.close();
  server.close();
  server.closeAllConnections();
  await webhooks.drain();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
