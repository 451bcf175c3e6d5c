/** A misbehaviour the mock API can be told to show, to test a client's error handling. */
export type MockFault =
  /** Waits `ms` before answering normally (or before the next matching fault). */
  | { type: 'latency'; ms: number }
  /** Answers `status` with a JSON error, or with `body` when given. */
  | { type: 'status'; status: number; body?: unknown }
  /** Answers 200 with a body that is not JSON. */
  | { type: 'garbage' }
  /** Answers 200 with JSON that is not a stream-status object. */
  | { type: 'wrong-shape' }
  /** Destroys the connection without answering. */
  | { type: 'drop' }
  /** Answers 429 with `Retry-After` as delta seconds or as an HTTP date, `seconds` from now. */
  | { type: 'rate-limit'; retryAfter: 'seconds' | 'http-date'; seconds: number };

/** Options of {@link MockTraxApi.injectFault}. */
export interface InjectFaultOptions {
  /** Only requests for this studio. @default every studio */
  studioId?: string;
  /** How many matching requests see the fault. @default Infinity (until `clearFaults()`) */
  times?: number;
  fault: MockFault;
}

/** An injected fault; `remaining` counts down as requests hit it. */
export interface InjectedFault {
  readonly fault: MockFault;
  readonly studioId: string | undefined;
  /** How many more requests will see it. */
  readonly remaining: number;
  /** How many requests have seen it. */
  readonly hits: number;
  /** Removes this fault. */
  clear(): void;
}

const STATUSES = new Set([400, 401, 403, 404, 408, 409, 410, 429, 500, 502, 503, 504]);

/** Checks a fault description, naming what is wrong. */
export function checkFault(options: InjectFaultOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('injectFault options must be an object with a fault');
  const { fault, times, studioId } = options;
  if (studioId !== undefined && (typeof studioId !== 'string' || studioId.length === 0)) {
    throw new TypeError('studioId option must be a non-empty string');
  }
  if (
    times !== undefined &&
    times !== Number.POSITIVE_INFINITY &&
    (!Number.isSafeInteger(times) || times < 1)
  ) {
    throw new TypeError('times option must be a positive integer');
  }
  if (typeof fault !== 'object' || fault === null)
    throw new TypeError('fault option must be an object with a type');
  switch (fault.type) {
    case 'latency':
      if (!Number.isFinite(fault.ms) || fault.ms < 0)
        throw new TypeError('fault.ms option must be a nonnegative number');
      return;
    case 'status':
      if (!STATUSES.has(fault.status)) {
        throw new TypeError(`fault.status option must be one of ${[...STATUSES].join(', ')}`);
      }
      return;
    case 'rate-limit':
      if (fault.retryAfter !== 'seconds' && fault.retryAfter !== 'http-date') {
        throw new TypeError('fault.retryAfter option must be "seconds" or "http-date"');
      }
      if (!Number.isSafeInteger(fault.seconds) || fault.seconds < 0) {
        throw new TypeError('fault.seconds option must be a nonnegative integer');
      }
      return;
    case 'garbage':
    case 'wrong-shape':
    case 'drop':
      return;
    default:
      throw new TypeError(
        'fault.type option must be one of latency, status, garbage, wrong-shape, drop, rate-limit',
      );
  }
}
