/**
 * The signatures a header held, in an array of exactly their number. A scheme's parser keeps
 * the first in a variable and only the rest in an array: one signature is the common case, and
 * an array grown by `push` from empty reserves room for 17 (about 150 bytes per delivery, the
 * largest allocation of the verifier in a sampling heap profile).
 */
export function candidateList(first: string | undefined, more: string[] | undefined): string[] {
  if (first === undefined) return [];
  // `concat`, not a spread: a spread fills its result through the iterator and over-reserves.
  return more === undefined ? [first] : [first].concat(more);
}
