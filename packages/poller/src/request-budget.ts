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
    return Math.max(0, oldest + this.#windowMs - now, this.#pausedUntil - now);
  }

  /** Records a request that starts now. Call only when {@link waitMs} is 0. */
  take(): void {
    this.#times[this.#next] = this.#now();
    this.#next = (this.#next + 1) % this.#times.length;
  }

  /** Holds every request until `at` (epoch ms): the API said the key's limit is used up. */
  pauseUntil(at: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, at);
  }
}
