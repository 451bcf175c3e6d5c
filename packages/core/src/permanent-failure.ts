const PERMANENT = Symbol.for('trax-webhooks.permanent-failure');

/**
 * Marks a handler failure as permanent: the delivery is acknowledged (2xx) and recorded as
 * done, so the sender stops retrying, and the failure is reported through `onError`.
 * Use it for events that can never succeed (the studio was deleted), not for outages.
 *
 * @example
 * ```ts
 * webhooks.onStreamLive(async (event) => {
 *   const studio = await db.studios.find(event.data.studioId);
 *   if (!studio) throw permanentFailure(`unknown studio ${event.data.studioId}`);
 * });
 * ```
 */
export function permanentFailure(reason: string | Error): Error {
  const error = typeof reason === 'string' ? new Error(reason) : reason;
  Object.defineProperty(error, PERMANENT, { value: true });
  return error;
}

/**
 * True when a handler's error was marked with {@link permanentFailure}; for several failed
 * handlers, when every one of them was.
 */
export function isPermanentFailure(error: unknown): boolean {
  if (error instanceof AggregateError)
    return error.errors.length > 0 && error.errors.every(isPermanentFailure);
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[PERMANENT] === true
  );
}
