/** Work that outlives its answer, counted so that shutdown can wait for it. */
export interface BackgroundWork {
  /** Counts `task` until it settles (its outcome is the task's own business). */
  track(task: Promise<unknown>): void;
  /** Resolves once nothing tracked is pending, including work tracked while waiting. */
  drain(): Promise<void>;
}

/**
 * A counter rather than a Set of promises: the hot path tracks a completion per delivery, and
 * a number costs nothing to keep.
 */
export function createBackgroundWork(): BackgroundWork {
  let pending = 0;
  let waiting: Array<() => void> = [];
  function untrack(): void {
    if (--pending > 0) return;
    const resolvers = waiting;
    waiting = [];
    for (const resolve of resolvers) resolve();
  }
  return {
    track(task) {
      pending++;
      task.then(untrack, untrack);
    },
    async drain() {
      while (pending > 0) await new Promise<void>((resolve) => waiting.push(resolve));
    },
  };
}
