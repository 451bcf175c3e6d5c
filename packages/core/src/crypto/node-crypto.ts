/**
 * `node:crypto`, when the runtime has it (Node ≥ 20.16, Bun, Deno), found through
 * `process.getBuiltinModule` rather than an import: a bundle for Workers or the Next.js edge
 * runtime then never names a `node:` module, and one build serves every runtime.
 */

/** The part of `node:crypto` the fast path uses. */
export interface NodeCrypto {
  createHmac(
    algorithm: string,
    key: Uint8Array,
  ): {
    update(data: string | Uint8Array): unknown;
    digest(encoding: 'base64' | 'hex'): string;
  };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

type GetBuiltinModule = (id: string) => unknown;

let found: NodeCrypto | null | undefined;

/** `node:crypto`, or `undefined` where the runtime has no `node:` modules. */
export function loadNodeCrypto(): NodeCrypto | undefined {
  if (found === undefined) found = find() ?? null;
  return found ?? undefined;
}

function find(): NodeCrypto | undefined {
  const g = globalThis as { EdgeRuntime?: unknown; process?: { getBuiltinModule?: unknown } };
  // The Next.js edge sandbox has a `process` shim that warns on every Node API it is asked for.
  if (typeof g.EdgeRuntime === 'string') return undefined;
  const getBuiltinModule = g.process?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return undefined;
  try {
    const get = getBuiltinModule.bind(g.process) as GetBuiltinModule;
    const crypto = get('node:crypto') as Partial<NodeCrypto> | undefined;
    if (typeof crypto?.createHmac !== 'function' || typeof crypto.timingSafeEqual !== 'function')
      return undefined;
    return crypto as NodeCrypto;
  } catch {
    return undefined;
  }
}
