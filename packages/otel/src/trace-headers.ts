import { type Context, context, propagation } from '@opentelemetry/api';

/**
 * The propagation headers of `ctx` (the active context by default) — a W3C `traceparent`
 * (and `tracestate`) once an SDK registered its propagator; `{}` without one. Hand them to a
 * sender so the receiver's delivery span links back to the send.
 *
 * @example
 * ```ts
 * import { sendDelivery } from '@trax-webhooks/testing';
 * await sendDelivery({ url, secret, payload, headers: traceHeaders() });
 * ```
 */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}
