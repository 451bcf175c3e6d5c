import {
  checkFault,
  type InjectedFault,
  type InjectFaultOptions,
  type MockFault,
} from './mock-fault.js';

interface FaultEntry {
  fault: MockFault;
  studioId: string | undefined;
  remaining: number;
  hits: number;
}

/** Injected faults, matched in the order they were added. */
export class FaultList {
  #entries: FaultEntry[] = [];

  add(options: InjectFaultOptions): InjectedFault {
    checkFault(options);
    const entry: FaultEntry = {
      fault: { ...options.fault },
      studioId: options.studioId,
      remaining: options.times ?? Number.POSITIVE_INFINITY,
      hits: 0,
    };
    this.#entries.push(entry);
    const list = this;
    return {
      fault: entry.fault,
      studioId: entry.studioId,
      get remaining() {
        return entry.remaining;
      },
      get hits() {
        return entry.hits;
      },
      clear() {
        list.#entries = list.#entries.filter((e) => e !== entry);
      },
    };
  }

  clear(): void {
    this.#entries = [];
  }

  /**
   * The next fault for this request, skipping those it has already seen (a latency fault
   * delays and then lets the next fault or the normal answer through).
   */
  take(studioId: string | undefined, seen: Set<object>): MockFault | undefined {
    const entry = this.#entries.find(
      (e) =>
        !seen.has(e) && e.remaining > 0 && (e.studioId === undefined || e.studioId === studioId),
    );
    if (!entry) return undefined;
    seen.add(entry);
    entry.remaining -= 1;
    entry.hits += 1;
    if (entry.remaining <= 0) this.#entries = this.#entries.filter((e) => e !== entry);
    return entry.fault;
  }
}
