/** The packages whose dist is missing or older than one of its sources, by folder name. */
export function stalePackages(): string[];
/** Builds every package when any is stale; true when it built. Throws when the build fails. */
export function ensureBuilt(options?: { log?: (line: string) => void }): boolean;
