/** What a serverless runtime offers to keep work alive after the response is sent. */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * The context among a fetch handler's trailing arguments: whichever has a `waitUntil`
 * function. Next.js passes `(request, { params })`, Workers and Hono's `mount` pass
 * `(request, env, ctx)`, Bun passes `(request, server)`, Deno `(request, info)`.
 */
export function findWaitUntil(rest: readonly unknown[]): WaitUntilContext | undefined {
  for (const candidate of rest) {
    if (
      typeof candidate === 'object' &&
      candidate !== null &&
      typeof (candidate as Partial<WaitUntilContext>).waitUntil === 'function'
    ) {
      return candidate as WaitUntilContext;
    }
  }
  return undefined;
}
