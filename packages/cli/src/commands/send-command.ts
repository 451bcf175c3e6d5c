import { randomUUID } from 'node:crypto';
import { isTraxEventType, traxEventTypes } from '@trax-webhooks/core';
import { sendDelivery } from '@trax-webhooks/sender';
import { createTestEvent } from '@trax-webhooks/testing';
import { type CliIo, CliOutput } from '../cli-output.js';
import { describeAttempt, showRetryCountdown } from '../describe-attempt.js';
import { ExitCode } from '../exit-code.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { parseDuration, parseSchedule } from '../parse-duration.js';
import { parseTargetUrl } from '../parse-target-url.js';
import { readSecret } from '../read-credentials.js';
import { type ReceiverAnswer, receiverAnswer } from '../receiver-answer.js';
import { redactUrl } from '../redact.js';
import { stopSignal } from '../stop-signal.js';
import { UsageError } from '../usage-error.js';

export const sendHelp = `Usage: trax-webhooks send <type> --to <url> [options]

Sends one signed test event to a webhook endpoint, retrying like TRaX will.

  <type>             ${traxEventTypes.join(', ')}
                     (another type is sent too, with a note: receivers must tolerate new types)

Options:
  --to <url>         the endpoint, e.g. http://localhost:3000/webhooks/trax (required)
  --data <json>      fields merged into the event's data, e.g. '{"studioId":"st_1"}'
  --secret <whsec>   the signing secret (default: $TRAX_WEBHOOK_SECRET, preferred: flags
                     end up in shell history)
  --id <id>          the delivery id (default: a fresh msg_…); reuse one to test dedupe:
                     the second send says "duplicate" when the receiver already had it
  --schedule <list>  delays before each attempt (default: 0,1s,5s); 0 = no retries
  --timeout <dur>    per attempt (default: 15s)
  --json             JSON lines instead of text
  -h, --help         this help

Exit codes: 0 delivered (also when the receiver says duplicate) · 1 not delivered ·
2 usage error · 70 internal error (a bug) · 130 interrupted`;

/** What `send` adds to "Delivered" for each answer (a second send with one --id: duplicate). */
const ANSWER_NOTES: Record<ReceiverAnswer, string> = {
  handled: '',
  duplicate: ': the receiver already had it (duplicate), its handlers did not run again',
  accepted: ': accepted (202), the receiver runs its handlers after answering',
  queued: ": queued (202), the receiver's workers run its handlers",
  'failed-permanently': ': acknowledged, but a handler failed permanently',
};

/** `trax-webhooks send`. */
export async function sendCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      to: { type: 'string' },
      data: { type: 'string' },
      secret: { type: 'string' },
      id: { type: 'string' },
      schedule: { type: 'string' },
      timeout: { type: 'string' },
    },
    1,
  );
  const out = new CliOutput(io, { json: values.json === true });
  if (values.help) {
    io.stdout.write(`${sendHelp}\n`);
    return ExitCode.OK;
  }
  const type = positionals[0];
  if (!type) throw new UsageError(`Missing the event type, one of: ${traxEventTypes.join(', ')}`);
  const url = parseTargetUrl(
    values.to,
    '--to',
    'http://localhost:3000/webhooks/trax',
    'fetch refuses them; the receiver authenticates a delivery by its signature',
  );
  let data: Record<string, unknown> = {};
  if (values.data !== undefined) {
    try {
      data = JSON.parse(values.data) as Record<string, unknown>;
    } catch {
      throw new UsageError('--data must be a JSON object, e.g. --data \'{"studioId":"st_1"}\'');
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new UsageError('--data must be a JSON object, e.g. --data \'{"studioId":"st_1"}\'');
    }
  }
  if (values.id !== undefined && values.id.trim() === '')
    throw new UsageError('--id must not be empty');
  const schedule = parseSchedule(values.schedule ?? '0,1s,5s', '--schedule');
  const timeoutMs = parseDuration(values.timeout ?? '15s', '--timeout');
  if (timeoutMs <= 0) throw new UsageError('--timeout must be longer than 0');
  const secret = readSecret(io.env, values.secret);
  out.hide(secret);

  if (!isTraxEventType(type)) {
    out.warn(
      'note',
      { message: `${type} is not in the TRaX catalog` },
      out.c.yellow(`note: ${type} is not in the TRaX catalog; sending it anyway`),
    );
  }
  const event = createTestEvent(type, data);
  const id = values.id ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const label = `${type} → ${redactUrl(url)}`;
  out.emit(
    'sending',
    { id, eventType: type, url: redactUrl(url) },
    `${out.c.bold(label)} ${out.c.dim(id)}`,
  );
  const stop = stopSignal();
  try {
    const report = await sendDelivery({
      url,
      secret,
      event,
      id,
      schedule,
      timeoutMs,
      signal: stop.signal,
      onAttempt(attempt) {
        const { fields, human } = describeAttempt(out, attempt);
        // Countdown first, so the line printed next redraws the fresh one, not the stale one.
        showRetryCountdown(out, 'send', label, attempt);
        out.emit('attempt', { id, ...fields }, human);
      },
    });
    out.close();
    if (report.delivered) {
      // What the receiver made of it: a second send with one --id shows its dedupe at work.
      const answer = receiverAnswer(report.attempts.at(-1)!);
      const said = ANSWER_NOTES[answer];
      out.emit(
        'delivered',
        { id: report.id, attempts: report.attempts.length, answer },
        (answer === 'handled' ? out.c.green : out.c.yellow)(
          `Delivered ${type} (${report.id})${said}.`,
        ),
      );
      return ExitCode.OK;
    }
    if (report.aborted) {
      out.emit(
        'interrupted',
        { id: report.id, attempts: report.attempts.length },
        out.c.yellow('Interrupted before it was delivered.'),
      );
      return ExitCode.INTERRUPTED;
    }
    out.emit(
      'failed',
      { id: report.id, attempts: report.attempts.length },
      out.c.red(
        `Not delivered: ${report.attempts.length} attempt${report.attempts.length === 1 ? '' : 's'} failed.`,
      ),
    );
    return ExitCode.DELIVERY_FAILED;
  } finally {
    out.close();
    stop.dispose();
  }
}
