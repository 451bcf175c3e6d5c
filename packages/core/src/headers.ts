/**
 * Request headers as any runtime hands them over: Node's `IncomingHttpHeaders`
 * (lower-cased keys, arrays for repeated headers), a fetch `Headers`, or a plain record.
 */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Reads one header, case-insensitively. A header given as an array (repeated lines) is joined
 * with a space, which is how signature lists are separated. (Node and fetch join repeated
 * lines of most headers into one string with ", " themselves; schemes allow for that.)
 */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  // Fast path: Node lower-cases incoming header names.
  let value = record[name];
  if (value === undefined) {
    for (const key in record) {
      if (key.length === name.length && key.toLowerCase() === name) {
        value = record[key];
        break;
      }
    }
  }
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(' ');
}
