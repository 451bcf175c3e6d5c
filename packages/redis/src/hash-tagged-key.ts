/**
 * The Redis key of one record: `${prefix}{${id}}${suffix}`.
 *
 * Redis Cluster hashes only the part between the first `{` and the next `}`, so every key of one
 * delivery (or one studio) lands in the same slot and a Lua script may touch them together.
 * The prefix must not contain braces, or it would become the tag and put every key in one slot.
 */
export function hashTaggedKey(prefix: string, id: string, suffix = ''): string {
  return `${prefix}{${id}}${suffix}`;
}

/** @throws {TypeError} naming `option` when the prefix is not a brace-free string */
export function checkKeyPrefix(prefix: unknown, option = 'prefix'): string {
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new TypeError(
      `${option} option must be a string without "{" or "}" (they are Redis Cluster hash tags)`,
    );
  }
  return prefix;
}
