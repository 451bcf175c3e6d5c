/** A read being timed: when it runs out of time, and what to do then. */
export interface BodyDeadline {
  /** When the read runs out of time, on `performance.now()`'s clock. */
  readonly deadline: number;
  /** Called once the deadline has passed (and never after the read was removed). */
  expire(): void;
}

/** An entry of the list: a deadline and its neighbours (`null` at the ends, and once removed). */
interface Entry extends BodyDeadline {
  previous: Entry | null;
  next: Entry | null;
}

/**
 * One timer for every body being read with the same time limit, instead of a timer each.
 *
 * A `setTimeout` per request costs more than it looks on the hot path: with a few dozen
 * requests in flight, Node's timer list for the duration empties and refills, and each time
 * it is taken out of and put back into the timer heap (a CPU profile of the Express adapter
 * had the timer calls at about a tenth of the adapter's own time). Reads with the same limit
 * end in the order they started, so a list in start order holds them by deadline, and one
 * timer armed for the oldest deadline is enough.
 *
 * The list is linked through its entries rather than kept in a `Set`: starting and ending a
 * read are a few field writes, with no hashing and no table to rehash (BENCHMARKS.md, "Where
 * the time goes", session 5).
 */
export class BodyDeadlines {
  readonly #timeoutMs: number;
  /** The oldest read still counted: the next to run out of time. */
  #oldest: Entry | null = null;
  #newest: Entry | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Starts counting a read; returns its entry, for {@link remove}. */
  add(expire: () => void): BodyDeadline {
    const entry: Entry = {
      deadline: performance.now() + this.#timeoutMs,
      expire,
      previous: this.#newest,
      next: null,
    };
    if (this.#newest === null) this.#oldest = entry;
    else this.#newest.next = entry;
    this.#newest = entry;
    this.#timer ??= this.#arm(this.#timeoutMs);
    return entry;
  }

  /**
   * Stops counting a read that ended (read whole, too large, or the sender went away). Removing
   * a read twice, or one that already expired, does nothing. Takes only entries that this
   * instance's {@link add} returned.
   */
  remove(deadline: BodyDeadline): void {
    // The timer stays armed: when it fires with nothing due it re-arms or stops, which costs
    // less than re-arming it at every request.
    const entry = deadline as Entry;
    const { previous, next } = entry;
    if (previous !== null) previous.next = next;
    else if (this.#oldest === entry) this.#oldest = next;
    else return; // not in the list (removed before, or expired)
    if (next !== null) next.previous = previous;
    else this.#newest = previous;
    entry.previous = null;
    entry.next = null;
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
    try {
      // Read the oldest again after each expiry: it may have removed (or, through its answer,
      // added) other reads. Reads added now end later than `now`, so the loop stops at them.
      for (let entry = this.#oldest; entry !== null && entry.deadline <= now; ) {
        this.remove(entry);
        entry.expire();
        entry = this.#oldest;
      }
    } finally {
      // Also after an expiry that threw: the reads still due must not wait for the next add.
      this.#rearm();
    }
  }

  /** One timer, armed for the oldest read left; none when no read is left. */
  #rearm(): void {
    // An expiry that started a read has armed a timer already: that one goes.
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const oldest = this.#oldest;
    // +1: a timer may fire a fraction of a millisecond early.
    this.#timer =
      oldest === null ? undefined : this.#arm(Math.ceil(oldest.deadline - performance.now()) + 1);
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
