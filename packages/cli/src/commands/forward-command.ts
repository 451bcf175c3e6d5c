import { parseArgs } from 'node:util';
import { DEFAULT_BASE_URL, pollStreamStatus } from '@trax-webhooks/poller';
import { DEFAULT_RETRY_SCHEDULE } from '@trax-webhooks/testing';
import { type CliIo, CliOutput } from '../cli-output.js';
import { createForwarder } from '../create-forwarder.js';
import { describeAttempt, showRetryCountdown } from '../describe-attempt.js';
import { ExitCode } from '../exit-code.js';
import { withUsageErrors } from '../parse-command-args.js';
import { formatDuration, parseDuration, parseSchedule } from '../parse-duration.js';
import { displayUrl, parseTargetUrl } from '../parse-target-url.js';
import { readApiKey, readSecret } from '../read-credentials.js';
import { aborted, stopSignal } from '../stop-signal.js';
import { UsageError } from '../usage-error.js';

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
  --schedule <list>     delays before each delivery attempt (default: 0,5s,5m,30m,2h,5h,10h,10h,
                        as Standard Webhooks); 0 = no retries
  --timeout <dur>       per delivery attempt (default: 15s)
  --json                JSON lines instead of text
  -h, --help            this help

Exit codes: 0 stopped cleanly · 1 a delivery failed or was still retrying at stop ·
2 usage error · 3 the API refused the key for every studio`;

/** `trax-webhooks forward`. */
export async function forwardCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = withUsageErrors(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: {
          studio: { type: 'string', multiple: true },
          to: { type: 'string' },
          'base-url': { type: 'string' },
          interval: { type: 'string' },
          'max-rps': { type: 'string' },
          schedule: { type: 'string' },
          timeout: { type: 'string' },
          json: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
      }),
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
  const to = parseTargetUrl(values.to, '--to', 'http://localhost:3000/webhooks/trax');
  const baseUrl = parseTargetUrl(
    values['base-url'] ?? DEFAULT_BASE_URL,
    '--base-url',
    DEFAULT_BASE_URL,
  );
  const intervalMs = parseDuration(values.interval ?? '15s', '--interval');
  if (intervalMs <= 0) throw new UsageError('--interval must be longer than 0');
  const maxRps = Number(values['max-rps'] ?? '10');
  if (!Number.isSafeInteger(maxRps) || maxRps < 1)
    throw new UsageError('--max-rps must be a positive whole number');
  const schedule =
    values.schedule === undefined
      ? DEFAULT_RETRY_SCHEDULE
      : parseSchedule(values.schedule, '--schedule');
  const timeoutMs = parseDuration(values.timeout ?? '15s', '--timeout');
  if (timeoutMs <= 0) throw new UsageError('--timeout must be longer than 0');
  const apiKey = readApiKey(io.env);
  const secret = readSecret(io.env);

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
    onEvent(event, deliveryId) {
      out.emit(
        'event',
        { id: deliveryId, eventType: event.type, studioId: event.data.studioId },
        `${c.cyan('→')} ${c.bold(event.type)} ${String(event.data.studioId)} ${c.dim(deliveryId)}`,
      );
    },
    onAttempt(attempt, event, deliveryId) {
      const { fields, human } = describeAttempt(out, attempt);
      showRetryCountdown(out, deliveryId, `${event.type} ${String(event.data.studioId)}`, attempt);
      out.emit('attempt', { id: deliveryId, eventType: event.type, ...fields }, human);
    },
    onDelivery(report, event) {
      out.progress(report.id, undefined);
      if (report.delivered) return;
      const what = report.aborted
        ? 'still retrying at stop'
        : `given up after ${report.attempts.length} attempts`;
      out.warn(
        report.aborted ? 'abandoned' : 'failed',
        { id: report.id, eventType: event.type, attempts: report.attempts.length },
        c.red(`✗ ${event.type} ${String(event.data.studioId)} not delivered: ${what}`),
      );
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
    { studios, to: displayUrl(to), baseUrl: displayUrl(baseUrl), intervalMs },
    `Forwarding ${studios.length} studio${studios.length === 1 ? '' : 's'} ${c.dim(`(${studios.join(', ')})`)} from ${displayUrl(baseUrl)} to ${c.bold(displayUrl(to))}, polling every ${formatDuration(intervalMs)}. Ctrl-C stops.`,
  );

  try {
    await aborted(stopAll.signal);
    await poller.stop();
    await forwarder.stop();
  } finally {
    out.close();
    stop.dispose();
  }
  const stats = forwarder.stats();
  out.emit(
    'stopped',
    { ...stats },
    c.dim(
      `Stopped: ${stats.delivered} delivered, ${stats.failed} failed, ${stats.abandoned} still retrying.`,
    ),
  );
  if (refusedAll) return ExitCode.API_REFUSED;
  return stats.failed + stats.abandoned > 0 ? ExitCode.DELIVERY_FAILED : ExitCode.OK;
}
