/** How far a signed timestamp may be from now, each way, in seconds. */
export interface Tolerance {
  /** How old a delivery may be. @default 300 */
  pastSeconds: number;
  /** How far in the future a delivery may be (sender clock ahead). @default 300 */
  futureSeconds: number;
}

/** A tolerance in seconds for both directions, or each direction on its own. */
export type ToleranceOption = number | Partial<Tolerance>;

/** Standard Webhooks' five minutes, either side. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Reads a tolerance option.
 *
 * @throws {TypeError} naming the option
 */
export function resolveTolerance(option: ToleranceOption | undefined): Tolerance {
  const check = (value: unknown, name: string): number => {
    if (value === undefined) return DEFAULT_TOLERANCE_SECONDS;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`${name} option must be a nonnegative number of seconds`);
    }
    return value;
  };
  if (option === undefined || typeof option === 'number') {
    const both = check(option, 'tolerance');
    return { pastSeconds: both, futureSeconds: both };
  }
  if (typeof option !== 'object' || option === null) {
    throw new TypeError(
      'tolerance option must be a number of seconds or { pastSeconds, futureSeconds }',
    );
  }
  return {
    pastSeconds: check(option.pastSeconds, 'tolerance.pastSeconds'),
    futureSeconds: check(option.futureSeconds, 'tolerance.futureSeconds'),
  };
}
