import { type Context, context, propagation } from '@opentelemetry/api';

/**
 * The propagation headers of `ctx` (the active context by default) — a W3C `traceparent`
 * (and `tracestate`) once an SDK registered its propagator; `{}` without one. Hand them to a
 * sender so the receiver's delivery span links back to the send.
 *
 * @example
 * ```ts
 * await fetch(url, { method: 'POST', headers: { ...signed.headers, ...traceHeaders() }, body });
 * ```
 */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/**
 * The W3C `traceparent` of `ctx` (the active context by default), or `undefined` without an
 * SDK's propagator or an active span: what `@trax-webhooks/sender` takes as its `traceparent`
 * option, so the receiver's delivery span links back to the send.
 *
 * @example
 * ```ts
 * import { sendDelivery } from '@trax-webhooks/sender';
 * await sendDelivery({ url, secret, event, traceparent: traceparent() });
 * ```
 */
export function traceparent(ctx: Context = context.active()): string | undefined {
  return traceHeaders(ctx).traceparent;
}
