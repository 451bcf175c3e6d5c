/** version-traceId-parentId-flags, lower-case hex (W3C Trace Context, level 1). */
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/**
 * The `traceparent` request header for a given value, or none without one. Checked here so a
 * malformed value fails when the sender is called, not at the receiver's tracer.
 *
 * @throws {TypeError} naming the traceparent option
 */
export function traceparentHeader(value: string | undefined): Record<string, string> {
  if (value === undefined) return {};
  if (
    typeof value !== 'string' ||
    !TRACEPARENT.test(value) ||
    value.startsWith('ff') ||
    /^00-0{32}-|-0{16}-/.test(value)
  )
    throw new TypeError(
      'traceparent option must be a W3C traceparent, e.g. 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    );
  return { traceparent: value };
}
