/**
 * Request headers as any runtime hands them over: Node's `IncomingHttpHeaders`
 * (lower-cased keys, arrays for repeated headers), a fetch `Headers`, or a plain record.
 */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Reads one header, case-insensitively. Repeated headers are joined with a space, which
 * is how signature lists are separated.
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
