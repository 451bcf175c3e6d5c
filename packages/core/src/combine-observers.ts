import type { DeliveryObserver } from './observer.js';

/** One record per observer, `undefined` where that observer declined the delivery. */
type Records = ReadonlyArray<unknown>;

/** Calls `hook` for each observer that took the delivery; rethrows the first throw after all ran. */
function each(
  // biome-ignore lint/suspicious/noExplicitAny: each observer keeps a record of its own type
  observers: ReadonlyArray<DeliveryObserver<any>>,
  records: Records,
  // biome-ignore lint/suspicious/noExplicitAny: as above
  hook: (observer: DeliveryObserver<any>, record: unknown) => void,
): void {
  let thrown: { error: unknown } | undefined;
  observers.forEach((observer, i) => {
    if (records[i] === undefined) return;
    try {
      hook(observer, records[i]);
    } catch (error) {
      thrown ??= { error };
    }
  });
  if (thrown) throw thrown.error;
}

/**
 * One observer that hands every hook to each of `observers`, in order: OpenTelemetry and a
 * dashboard, say, on one receiver (the `observer` option takes one). `dispatch` nests: the first
 * observer's is outermost, so the handlers run inside every observer's context. A delivery
 * every observer declines stays unobserved (and costs nothing more).
 *
 * @example
 * ```ts
 * createTraxWebhooks({ secret, observer: combineObservers(traxTelemetry(), dashboardObserver) });
 * ```
 * @throws {TypeError} when given no observer
 */
export function combineObservers(
  // biome-ignore lint/suspicious/noExplicitAny: each observer keeps a record of its own type
  ...observers: ReadonlyArray<DeliveryObserver<any>>
): DeliveryObserver<Records> {
  if (observers.length === 0) throw new TypeError('combineObservers() needs at least one observer');
  return {
    received(source, headers) {
      let any = false;
      const records = observers.map((observer) => {
        const record = observer.received(source, headers);
        if (record !== undefined) any = true;
        return record;
      });
      return any ? records : undefined;
    },
    verified(records, event, ctx) {
      each(observers, records, (observer, record) => observer.verified(record, event, ctx));
    },
    dispatch(records, run) {
      let wrapped = run;
      for (let i = observers.length - 1; i >= 0; i--) {
        const observer = observers[i]!;
        const record = records[i];
        if (record === undefined) continue;
        const inner = wrapped;
        wrapped = () => observer.dispatch(record, inner);
      }
      return wrapped();
    },
    handlerSettled(records, handler, durationMs, error) {
      each(observers, records, (observer, record) =>
        observer.handlerSettled(record, handler, durationMs, error),
      );
    },
    answered(records, outcome, answer, error) {
      each(observers, records, (observer, record) =>
        observer.answered(record, outcome, answer, error),
      );
    },
    carry(records) {
      let carried: Record<string, string> | undefined;
      each(observers, records, (observer, record) => {
        const headers = observer.carry?.(record);
        if (headers) carried = { ...carried, ...headers };
      });
      return carried;
    },
  };
}
