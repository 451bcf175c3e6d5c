/**
 * Request headers as any runtime hands them over: Node's `IncomingHttpHeaders`
 * (lower-cased keys, arrays for repeated headers), a fetch `Headers`, or a plain record.
 */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * One header by its exact name as given (lower-case, as Node, Fastify and the Fetch `Headers`
 * hand them over), without the case-insensitive scan of {@link readHeader}. A repeated header
 * (an array) is joined with spaces.
 */
export function readHeaderExact(headers: HeaderSource, name: string): string | undefined {
  // The record lookup first: a plain header object is the common case, and a Fetch `Headers`
  // has no own properties, so the lookup misses and `get` answers.
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const value = record[name];
  if (value !== undefined) return typeof value === 'string' ? value : value.join(' ');
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  return undefined;
}

/**
 * One header, whatever the case of the names in `headers` (a Fetch `Headers`, or a plain
 * object, whose names may be in any case). A repeated header (an array) is joined with spaces.
 */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  const exact = readHeaderExact(headers, name);
  if (exact !== undefined || typeof (headers as { get?: unknown }).get === 'function') return exact;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  for (const key in record) {
    if (key.length === name.length && key.toLowerCase() === name) {
      const value = record[key];
      if (value === undefined) return undefined;
      return typeof value === 'string' ? value : value.join(' ');
    }
  }
  return undefined;
}
