/** The longest delay `setTimeout` honours; past it a timer fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Reads a delivery target: an absolute http(s) URL without credentials. `fetch` refuses a URL
 * with `user:password@` (and would put it in its error message), so such a target could never
 * be delivered to; the error names the option, never the value.
 *
 * @throws {TypeError} naming `option`
 */
export function checkDeliveryUrl(value: string | URL, option = 'url'): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${option} option must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`${option} option must be an http(s) URL`);
  if (url.username !== '' || url.password !== '')
    throw new TypeError(
      `${option} option must not contain credentials (user:password@): fetch refuses them; authenticate the receiver by its signature`,
    );
  return url;
}

/** The retry options every sender shares. */
export interface RetryOptions {
  schedule: readonly number[];
  jitter: number;
  timeoutMs: number;
  maxRetryAfterMs: number;
}

/**
 * Checks the retry options of `sendDelivery` and of the CLI's forwarder alike.
 *
 * @throws {TypeError} naming the option that is wrong
 */
export function checkRetryOptions({
  schedule,
  jitter,
  timeoutMs,
  maxRetryAfterMs,
}: RetryOptions): void {
  if (
    !Array.isArray(schedule) ||
    schedule.length === 0 ||
    schedule.some((d) => !Number.isFinite(d) || d < 0)
  ) {
    throw new TypeError('schedule option must be a non-empty array of nonnegative milliseconds');
  }
  if (!Number.isFinite(jitter) || jitter < 0 || jitter > 1)
    throw new TypeError('jitter option must be a number from 0 to 1');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMER_MS)
    throw new TypeError(`timeoutMs option must be a positive number, at most ${MAX_TIMER_MS}`);
  if (!(maxRetryAfterMs >= 0))
    throw new TypeError('maxRetryAfterMs option must be a nonnegative number');
}
