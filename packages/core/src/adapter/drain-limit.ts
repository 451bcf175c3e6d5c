/** How many times the body limit a refused upload may still send while its answer waits to be read. */
export const DRAIN_FACTOR = 16;
/** The least a refused upload may still send: 16 MiB (a 10 MiB upload against a small limit drains). */
export const MIN_DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * How many bytes of a refused upload (413, 408) an adapter reads and discards after answering,
 * before it closes the connection: `16 × bodyLimit`, and never under 16 MiB.
 *
 * Why read at all: a sender writing its body does not read our answer until it has finished
 * (or until the socket breaks). Closing a socket that still has unread bytes makes the kernel
 * send a reset, which also throws away the answer the sender has not read yet: it sees EPIPE
 * or ECONNRESET and never learns it was refused (issue 11: 4 of 24 uploads on Express).
 * Reading the rest, up to a bound, lets it finish writing and then read the 413.
 *
 * @example
 * ```ts
 * drainLimit(1_048_576); // 16_777_216
 * ```
 */
export function drainLimit(bodyLimit: number): number {
  return Math.max(DRAIN_FACTOR * bodyLimit, MIN_DRAIN_BYTES);
}
