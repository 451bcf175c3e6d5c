import type { TextMapGetter } from '@opentelemetry/api';
import { type HeaderSource, readHeader } from '@trax-webhooks/core';

/**
 * Reads propagation headers (`traceparent`, `tracestate`) from any header shape core accepts:
 * Node's headers, a fetch `Headers`, a plain record.
 */
export const headerGetter: TextMapGetter<HeaderSource> = {
  get: (headers, key) => readHeader(headers, key.toLowerCase()),
  keys(headers) {
    if (typeof (headers as { keys?: unknown }).keys === 'function') {
      return [...(headers as unknown as { keys(): Iterable<string> }).keys()];
    }
    return Object.keys(headers);
  },
};
