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
 * The list is linked through its entries rather than kept in a `Set`: adding and removing a
 * read are then a few field writes, with no hashing and no table to rehash. Over HTTP on
 * Fastify the `Set` made reading a body cost about 1.5 % more CPU per delivery than this list
 * (BENCHMARKS.md, "Where the time goes").
 */
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

/** The reads of one time limit, and the one timer that ends them. */
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
   * a read twice, or one that already expired, does nothing.
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
    let entry = this.#oldest;
    while (entry !== null) {
      if (entry.deadline > now) {
        // +1: a timer may fire a fraction of a millisecond early.
        this.#timer = this.#arm(Math.ceil(entry.deadline - now) + 1);
        return;
      }
      this.remove(entry);
      entry.expire();
      // Read again: an expiry may have removed (or, through its answer, added) other reads.
      entry = this.#oldest;
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
