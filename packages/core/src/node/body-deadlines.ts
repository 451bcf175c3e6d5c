/**
 * One timer for every body being read with the same time limit, instead of a timer each.
 *
 * A `setTimeout` per request costs more than it looks on the hot path: with a few dozen
 * requests in flight, Node's timer list for the duration empties and refills, and each time
 * it is taken out of and put back into the timer heap (a CPU profile of the Express adapter
 * had the timer calls at about a tenth of the adapter's own time). Reads with the same limit
 * end in the order they started, so a Set (insertion-ordered) holds them by deadline, and one
 * timer armed for the oldest deadline is enough: adding and removing a read is a Set
 * operation.
 */
export interface BodyDeadline {
  /** When the read runs out of time, on `performance.now()`'s clock. */
  readonly deadline: number;
  /** Called once the deadline has passed (and never after the read was removed). */
  expire(): void;
}

/** The reads of one time limit, and the one timer that ends them. */
export class BodyDeadlines {
  readonly #timeoutMs: number;
  readonly #pending = new Set<BodyDeadline>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Starts counting a read; returns its entry, for {@link remove}. */
  add(expire: () => void): BodyDeadline {
    const entry = { deadline: performance.now() + this.#timeoutMs, expire };
    this.#pending.add(entry);
    this.#timer ??= this.#arm(this.#timeoutMs);
    return entry;
  }

  /** Stops counting a read that ended (read whole, too large, or the sender went away). */
  remove(entry: BodyDeadline): void {
    // The timer stays armed: when it fires with nothing due it re-arms or stops, which costs
    // less than re-arming it at every request.
    this.#pending.delete(entry);
  }

  #arm(ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.#sweep(), ms);
    // Never what keeps a process alive: a read in progress has its socket for that.
    timer.unref?.();
    return timer;
  }

  #sweep(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (const entry of this.#pending) {
      if (entry.deadline > now) {
        // +1: a timer may fire a fraction of a millisecond early.
        this.#timer = this.#arm(Math.ceil(entry.deadline - now) + 1);
        return;
      }
      this.#pending.delete(entry);
      entry.expire();
    }
  }
}

const byTimeout = new Map<number, BodyDeadlines>();

/** The shared {@link BodyDeadlines} of one time limit. */
export function bodyDeadlines(timeoutMs: number): BodyDeadlines {
  let deadlines = byTimeout.get(timeoutMs);
  if (deadlines === undefined) {
    deadlines = new BodyDeadlines(timeoutMs);
    byTimeout.set(timeoutMs, deadlines);
  }
  return deadlines;
}
