import type { AnyTraxEvent } from '@trax-webhooks/core';
import { DEFAULT_BASE_URL, type PendingDelivery, pollStreamStatus } from '@trax-webhooks/poller';
import { DEFAULT_RETRY_SCHEDULE } from '@trax-webhooks/sender';
import { type CliIo, CliOutput } from '../cli-output.js';
import { createForwarder, type Forwarder } from '../create-forwarder.js';
import { describeAttempt, showRetryCountdown } from '../describe-attempt.js';
import { ExitCode } from '../exit-code.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { formatDuration, parseDuration, parseSchedule } from '../parse-duration.js';
import { parseTargetUrl } from '../parse-target-url.js';
import { readApiKey, readSecret } from '../read-credentials.js';
import { redactUrl } from '../redact.js';
import { aborted, stopSignal } from '../stop-signal.js';
import { UsageError } from '../usage-error.js';

/** setTimeout's longest delay (2^31 - 1 ms): the poller refuses longer intervals. */
const MAX_TIMER_MS = 2_147_483_647;

export const forwardHelp = `Usage: trax-webhooks forward --studio <id> [--studio <id>…] --to <url> [options]

Polls TRaX stream-status and delivers each stream.live / stream.offline to your endpoint as a
signed webhook, the way TRaX will once it ships webhooks. Runs until Ctrl-C or SIGTERM.

Environment:
  TRAX_API_KEY          the API key that reads stream-status (required)
  TRAX_WEBHOOK_SECRET   the whsec_… secret your endpoint verifies with (required)

Options:
  --studio <id>         a studio to poll; repeat for more (required)
  --to <url>            your endpoint, e.g. http://localhost:3000/webhooks/trax (required)
  --base-url <url>      the TRaX API (default: ${DEFAULT_BASE_URL})
  --interval <dur>      how often each studio is polled: 15s, 500ms, 2m; a bare number is
                        milliseconds (default: 15s)
  --max-rps <n>         most API requests per second (default: 10)
  --schedule <list>     least delays before each delivery attempt (default: 0,5s,5m,30m,2h,5h,
                        10h,10h, as Standard Webhooks); past the end the last one repeats, and
                        attempts go out with polls, so never sooner than --interval apart.
                        A delivery is never given up: later events of its studio wait for it
  --timeout <dur>       per delivery attempt (default: 15s)
  --json                JSON lines instead of text
  -h, --help            this help

Exit codes: 0 stopped cleanly, everything delivered · 1 an event was still not delivered at
stop (each is listed) · 2 usage error · 3 the API refused the key for every studio ·
70 internal error (a bug)`;

/** `trax-webhooks forward`. */
export async function forwardCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      studio: { type: 'string', multiple: true },
      to: { type: 'string' },
      'base-url': { type: 'string' },
      interval: { type: 'string' },
      'max-rps': { type: 'string' },
      schedule: { type: 'string' },
      timeout: { type: 'string' },
    },
    0,
  );
  const out = new CliOutput(io, { json: values.json === true });
  if (values.help) {
    io.stdout.write(`${forwardHelp}\n`);
    return ExitCode.OK;
  }
  const studios = (values.studio ?? []).map((id) => id.trim());
  if (studios.length === 0) throw new UsageError('Give at least one --studio <id>');
  if (studios.some((id) => id === '')) throw new UsageError('--studio must not be empty');
  const to = parseTargetUrl(
    values.to,
    '--to',
    'http://localhost:3000/webhooks/trax',
    'fetch refuses them; the receiver authenticates a delivery by its signature',
  );
  const baseUrl = parseTargetUrl(
    values['base-url'] ?? DEFAULT_BASE_URL,
    '--base-url',
    DEFAULT_BASE_URL,
    'fetch refuses them; the TRaX API authenticates with TRAX_API_KEY',
  );
  const intervalMs = parseDuration(values.interval ?? '15s', '--interval');
  if (intervalMs <= 0) throw new UsageError('--interval must be longer than 0');
  if (intervalMs > MAX_TIMER_MS) throw new UsageError('--interval must be at most 24 days');
  const maxRps = Number(values['max-rps'] ?? '10');
  if (!Number.isSafeInteger(maxRps) || maxRps < 1)
    throw new UsageError('--max-rps must be a positive whole number');
  const schedule =
    values.schedule === undefined
      ? DEFAULT_RETRY_SCHEDULE
      : parseSchedule(values.schedule, '--schedule');
  const timeoutMs = parseDuration(values.timeout ?? '15s', '--timeout');
  if (timeoutMs <= 0) throw new UsageError('--timeout must be longer than 0');
  if (timeoutMs > MAX_TIMER_MS) throw new UsageError('--timeout must be at most 24 days');
  const apiKey = readApiKey(io.env);
  const secret = readSecret(io.env);
  out.hide(apiKey);
  out.hide(secret);

  const { c } = out;
  const stop = stopSignal();
  let refusedAll = false;
  const stopAll = new AbortController();
  stop.signal.addEventListener('abort', () => stopAll.abort(), { once: true });
  const forwarder = createForwarder({
    to,
    secret,
    schedule,
    timeoutMs,
    pollIntervalMs: intervalMs,
    onEvent(event, deliveryId) {
      out.emit(
        'event',
        { id: deliveryId, eventType: event.type, studioId: event.data.studioId },
        `${c.cyan('→')} ${c.bold(event.type)} ${String(event.data.studioId)} ${c.dim(deliveryId)}`,
      );
    },
    onAttempt(attempt, event, deliveryId) {
      const { fields, human } = describeAttempt(out, attempt);
      showRetryCountdown(
        out,
        deliveryId,
        `${event.type} ${String(event.data.studioId)}`,
        attempt,
        (next) => `attempt ${next} with the next poll…`,
      );
      out.emit('attempt', { id: deliveryId, eventType: event.type, ...fields }, human);
    },
    onDelivered(_event, deliveryId) {
      out.progress(deliveryId, undefined);
    },
    onError(error) {
      // Poller messages name the studio and what happened, never the key.
      out.warn(
        'poll-error',
        { code: error.code, studioId: error.studioId ?? null, message: error.message },
        `${c.yellow('!')} ${error.message}`,
      );
      if (error.code === 'POLL_UNAUTHORIZED' && poller.studioIds().length === 0) {
        refusedAll = true;
        stopAll.abort();
      }
    },
  });
  const poller = pollStreamStatus(forwarder, {
    apiKey,
    studios,
    intervalMs,
    baseUrl: baseUrl.toString(),
    maxRequestsPerSecond: maxRps,
  });
  out.emit(
    'started',
    { studios, to: redactUrl(to), baseUrl: redactUrl(baseUrl), intervalMs },
    `Forwarding ${studios.length} studio${studios.length === 1 ? '' : 's'} ${c.dim(`(${studios.join(', ')})`)} from ${redactUrl(baseUrl)} to ${c.bold(redactUrl(to))}, polling every ${formatDuration(intervalMs)}. Ctrl-C stops.`,
  );

  let pending: PendingAtStop[];
  try {
    await aborted(stopAll.signal);
    // No new attempt from here; an attempt in flight may still finish (within --timeout).
    forwarder.stop();
    await poller.stop();
    pending = pendingAtStop(poller.pendingEvents(), forwarder);
  } finally {
    out.close();
    stop.dispose();
  }
  // The poller's state lives in memory: whatever is pending now would never be derived again.
  // Say so, one line per event, rather than exit as if all was well.
  for (const item of pending) {
    const studio = String(item.event.data.studioId);
    const tried =
      item.attempts === 0
        ? 'never sent (waiting behind an earlier event of the studio)'
        : `${item.attempts} attempt${item.attempts === 1 ? '' : 's'} failed`;
    out.warn(
      'abandoned',
      {
        id: item.deliveryId,
        eventType: item.event.type,
        studioId: studio,
        attempts: item.attempts,
      },
      c.red(`✗ ${item.event.type} ${studio} not delivered, still pending at stop: ${tried}`),
    );
  }
  const stats = forwarder.stats();
  // Why it stopped: Ctrl-C / SIGTERM, or nothing left to poll because the key was refused.
  const reason = refusedAll ? 'api-refused' : 'signal';
  const why = refusedAll
    ? 'the TRaX API refused the key for every studio (401/403), so nothing is left to poll; check TRAX_API_KEY. '
    : '';
  out.emit(
    'stopped',
    {
      reason,
      delivered: stats.delivered,
      pending: pending.length,
      failedAttempts: stats.failedAttempts,
    },
    (refusedAll ? c.red : c.dim)(
      `Stopped: ${why}${stats.delivered} delivered, ${pending.length} still pending.`,
    ),
  );
  if (refusedAll) return ExitCode.API_REFUSED;
  return pending.length > 0 ? ExitCode.DELIVERY_FAILED : ExitCode.OK;
}

interface PendingAtStop {
  readonly deliveryId: string;
  readonly event: AnyTraxEvent;
  readonly attempts: number;
}

/**
 * Everything not delivered: the poller's pending events (those never sent included), plus any
 * the forwarder tried that the poller no longer lists (a studio it stopped polling on a 401/403).
 */
function pendingAtStop(polled: readonly PendingDelivery[], forwarder: Forwarder): PendingAtStop[] {
  const list: PendingAtStop[] = polled.map(({ deliveryId, event }) => ({
    deliveryId,
    event,
    attempts: forwarder.attemptsOf(deliveryId),
  }));
  const listed = new Set(list.map((item) => item.deliveryId));
  for (const item of forwarder.undelivered()) if (!listed.has(item.deliveryId)) list.push(item);
  return list;
}
