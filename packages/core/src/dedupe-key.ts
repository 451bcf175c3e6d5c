import type { DeliveryContext } from './delivery-context.js';
import { TraxWebhookError } from './errors.js';
import type { AnyTraxEvent } from './events.js';
import type { TraxWebhooksOptions } from './receiver-options.js';

/**
 * The key a delivery is deduplicated on: the `dedupeKey` option's answer, else the delivery id.
 * A `dedupeKey` that throws or answers something other than a non-empty string is the
 * consumer's bug: the delivery fails (500) so that it is retried once fixed, never guessed at.
 * Shared by the pipeline and queue mode, which must agree on the key.
 */
export function dedupeKeyOf(
  dedupeKey: TraxWebhooksOptions['dedupeKey'],
  event: AnyTraxEvent,
  ctx: DeliveryContext,
): string | TraxWebhookError<'HANDLER_FAILED'> {
  try {
    const key = dedupeKey?.(event, ctx) ?? ctx.deliveryId;
    if (typeof key !== 'string' || key.length === 0) {
      throw new TypeError('dedupeKey must return a non-empty string or undefined');
    }
    return key;
  } catch (cause) {
    return new TraxWebhookError(
      'HANDLER_FAILED',
      'The dedupeKey option failed; the delivery will be retried.',
      { deliveryId: ctx.deliveryId, eventType: event.type, source: ctx.source, cause },
    );
  }
}
