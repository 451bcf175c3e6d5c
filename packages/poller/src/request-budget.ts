/**
 * The global requests-per-second budget: a sliding-window log of the last `perSecond` request
 * times. A request may start only when the one `perSecond` requests before it started at least
 * a second ago, so **no 1-second window ever holds more than `perSecond` requests** (a token
 * bucket would allow twice that across a refill boundary). O(1) per request, `perSecond`
 * numbers of memory, and it reads the clock it is given, so fake timers drive it.
 */
export class RequestBudget {
  readonly #times: number[];
  readonly #windowMs: number;
  readonly #now: () => number;
  #next = 0;
  #pausedUntil = 0;

  constructor(perSecond: number, now: () => number, windowMs = 1000) {
    this.#times = new Array<number>(perSecond).fill(Number.NEGATIVE_INFINITY);
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Milliseconds until a request may start; 0 means now. */
  waitMs(): number {
    const now = this.#now();
    const oldest = this.#times[this.#next]!;
    // Strictly more than a window after the oldest: with a millisecond clock, "1000 ms later"
    // may be 999.x ms later in truth, enough to put one request too many into a second.
    return Math.max(0, oldest + this.#windowMs + 1 - now, this.#pausedUntil - now);
  }

  /**
   * Records a request that starts now (call only when {@link waitMs} is 0). Returns a function
   * to call once the request has actually been handed to `fetch`: it moves the record to that
   * moment, so a pause between deciding and sending (a GC, a slow synchronous `fetch` setup)
   * can never squeeze one request too many into a second as seen from the wire side.
   */
  take(): () => void {
    const slot = this.#next;
    this.#times[slot] = this.#now();
    this.#next = (this.#next + 1) % this.#times.length;
    return () => {
      this.#times[slot] = Math.max(this.#times[slot]!, this.#now());
    };
  }

  /** Holds every request for `ms` from now: the API said the key's limit is used up. */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }
}
