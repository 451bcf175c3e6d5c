import type { DeliveryAttempt } from '@trax-webhooks/sender';
import type { CliOutput } from './cli-output.js';
import { formatDuration } from './parse-duration.js';

/** The receiver's error code from a core-style `{ error: { code } }` body, when there is one. */
function errorCode(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** One attempt as a line for people, or its JSON fields. */
export function describeAttempt(out: CliOutput, attempt: DeliveryAttempt) {
  const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
  const code = errorCode(attempt.responseBody);
  const fields = {
    attempt: attempt.attempt,
    status: attempt.status ?? null,
    error: attempt.error ?? code ?? null,
    durationMs: attempt.durationMs,
    nextAttemptInMs: attempt.nextAttemptInMs ?? null,
  };
  const { c } = out;
  const result = attempt.status !== undefined ? String(attempt.status) : 'no answer';
  const why = attempt.error ?? code;
  const retry =
    attempt.nextAttemptInMs !== undefined
      ? c.dim(` · retrying in ${formatDuration(attempt.nextAttemptInMs)}`)
      : '';
  const human = `  ${ok ? c.green('✓') : c.red('✗')} attempt ${attempt.attempt}: ${ok ? c.green(result) : c.red(result)}${
    why ? ` ${c.yellow(why)}` : ''
  } ${c.dim(`in ${formatDuration(attempt.durationMs)}`)}${retry}`;
  return { ok, fields, human };
}

/**
 * Shows a countdown to the next attempt on the live progress line; once due, `whenDue` (the
 * forwarder's attempts wait for the studio's next poll).
 */
export function showRetryCountdown(
  out: CliOutput,
  key: string,
  label: string,
  attempt: DeliveryAttempt,
  whenDue = (next: number) => `sending attempt ${next}…`,
): void {
  if (attempt.nextAttemptInMs === undefined) {
    out.progress(key, undefined);
    return;
  }
  const due = Date.now() + attempt.nextAttemptInMs;
  out.progress(key, () => {
    const left = due - Date.now();
    return left > 0
      ? `${label}: attempt ${attempt.attempt + 1} in ${formatDuration(left)}`
      : `${label}: ${whenDue(attempt.attempt + 1)}`;
  });
}
