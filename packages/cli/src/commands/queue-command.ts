import { type CliIo, CliOutput } from '../cli-output.js';
import { ExitCode } from '../exit-code.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { redactUrl } from '../redact.js';
import { UsageError } from '../usage-error.js';
import { loadQueueAdmin } from './load-queue-admin.js';

export const queueHelp = `Usage: trax-webhooks queue [status | failed | retry <job-id> | retry --all | replay <delivery-id>] [options]

Inspects the delivery queue of queue mode (@trax-webhooks/bullmq).

  status               jobs per state (the default)
  failed               the failed jobs (dead letters) with their errors
  retry <job-id>       moves one failed job back to waiting, its attempts reset
  retry --all          moves every failed job back to waiting
  replay <delivery-id> runs a delivery's handlers again, even though the store says it is
                       done: your decision, not a retry

Options:
  --redis <url>        the Redis (default: $REDIS_URL, or redis://127.0.0.1:6379); a
                       password in it is never printed
  --name <name>        the queue name (default: trax-webhooks)
  --prefix <prefix>    BullMQ's key prefix (default: bull)
  --limit <n>          how many failed jobs to list (default: 100)
  --all                with retry: every failed job
  --json               JSON lines instead of text
  -h, --help           this help

Needs: npm install @trax-webhooks/bullmq bullmq ioredis

Exit codes: 0 done · 1 nothing to retry or replay, or Redis unreachable · 2 usage error`;

/** `trax-webhooks queue`. */
export async function queueCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      redis: { type: 'string' },
      name: { type: 'string' },
      prefix: { type: 'string' },
      limit: { type: 'string' },
      all: { type: 'boolean' },
    },
    2,
  );
  const out = new CliOutput(io, { json: values.json === true });
  if (values.help) {
    io.stdout.write(`${queueHelp}\n`);
    return ExitCode.OK;
  }
  const [action = 'status', target] = positionals;
  if (!['status', 'failed', 'retry', 'replay'].includes(action)) {
    throw new UsageError('Unknown queue action; use status, failed, retry or replay');
  }
  if (action === 'retry' && !target && !values.all) {
    throw new UsageError('retry needs a job id, or --all');
  }
  if (action === 'replay' && !target) throw new UsageError('replay needs a delivery id');
  if ((action === 'status' || action === 'failed') && target) {
    throw new UsageError('Unexpected argument');
  }
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new UsageError('--limit must be a positive whole number');
  }
  const redisUrl = values.redis ?? io.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  // Every line goes through the CLI's redaction (cli-output.ts); these are hidden by value too,
  // wherever a job's error or a Redis error might repeat them.
  for (const value of [passwordOf(redisUrl), io.env.TRAX_WEBHOOK_SECRET, io.env.TRAX_API_KEY]) {
    if (value) out.hide(value);
  }
  const where = redactUrl(redisUrl);

  let admin: Awaited<ReturnType<typeof loadQueueAdmin>>;
  try {
    admin = await loadQueueAdmin({ redisUrl, name: values.name, prefix: values.prefix });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    out.warn(
      'error',
      { message: `Cannot reach Redis at ${where}`, redis: where },
      out.c.red(`Cannot reach Redis at ${where}: ${(error as Error).message}`),
    );
    return ExitCode.DELIVERY_FAILED;
  }
  try {
    switch (action) {
      case 'status': {
        const counts = await admin.counts();
        out.emit(
          'counts',
          { redis: where, ...counts },
          Object.entries(counts)
            .map(([state, n]) => `${state.padEnd(10)} ${n}`)
            .join('\n'),
        );
        return ExitCode.OK;
      }
      case 'failed': {
        const failed = await admin.failed(limit);
        for (const job of failed) {
          const reason = job.failedReason;
          out.emit(
            'failed',
            {
              jobId: job.jobId,
              deliveryId: job.deliveryId,
              eventType: job.eventType,
              attemptsMade: job.attemptsMade,
              failedReason: reason,
              failedAt: job.failedAt?.toISOString(),
            },
            `${out.c.bold(job.jobId)} ${job.eventType} ${job.deliveryId ?? ''} after ${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'}: ${out.c.red(reason)}`,
          );
        }
        if (failed.length === 0) out.say('No failed jobs.');
        return ExitCode.OK;
      }
      case 'retry': {
        if (values.all) {
          const retried = await admin.retryAll();
          out.emit(
            'retried',
            { count: retried },
            `Moved ${retried} failed job(s) back to waiting.`,
          );
          return retried > 0 ? ExitCode.OK : ExitCode.DELIVERY_FAILED;
        }
        const retried = await admin.retry(target!);
        out.emit(
          'retried',
          { jobId: target, count: retried ? 1 : 0 },
          retried
            ? `Moved job ${target} back to waiting.`
            : out.c.yellow(`No failed job ${target}: nothing retried.`),
        );
        return retried ? ExitCode.OK : ExitCode.DELIVERY_FAILED;
      }
      default: {
        const replayed = await admin.replay(target!);
        if (!replayed) {
          out.emit(
            'replayed',
            { deliveryId: target, jobId: null },
            out.c.yellow(`No job of delivery ${target} is left in the queue: nothing replayed.`),
          );
          return ExitCode.DELIVERY_FAILED;
        }
        out.emit(
          'replayed',
          {
            deliveryId: target,
            ...replayed,
            note: 'handlers run again although the store says done',
          },
          `Queued job ${replayed.jobId} to replay delivery ${target} (from job ${replayed.replayOf}): its handlers run again even though the delivery store says it is done — your decision.`,
        );
        return ExitCode.OK;
      }
    }
  } catch (error) {
    out.warn(
      'error',
      { message: (error as Error).message, redis: where },
      out.c.red(`The queue at ${where} failed: ${(error as Error).message}`),
    );
    return ExitCode.DELIVERY_FAILED;
  } finally {
    await admin.close();
  }
}

function passwordOf(url: string): string | undefined {
  try {
    const { password } = new URL(url);
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
