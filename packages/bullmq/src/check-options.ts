/** @throws {TypeError} naming the option */
export function positiveInteger(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new TypeError(`${name} option must be a positive integer`);
  }
  return value as number;
}

/** @throws {TypeError} naming the option */
export function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${name} option must be a non-empty string`);
  }
  return value;
}

/** @throws {TypeError} naming the option */
export function checkConnection(value: unknown): void {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(
      'connection option must be an ioredis client or its options, e.g. { host, port } or new Redis(url, { maxRetriesPerRequest: null })',
    );
  }
}
