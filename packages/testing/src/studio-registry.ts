import { randomBytes } from 'node:crypto';
import { type GoLiveOptions, offlineStatus, type StreamStatus } from './stream-status.js';

/**
 * The mock's studios. A studio never seen answers offline (an unknown id is the common case in
 * a fresh test, and TRaX itself would know the studio); only a studio removed with
 * `removeStudio()` answers 404, to test a client's handling of a deleted studio.
 */
export class StudioRegistry {
  readonly #statuses = new Map<string, StreamStatus>();
  readonly #removed = new Set<string>();

  goLive(studioId: string, options: GoLiveOptions = {}): StreamStatus {
    checkStudioId(studioId);
    if (typeof options !== 'object' || options === null)
      throw new TypeError('goLive options must be an object');
    const current = this.#statuses.get(studioId);
    const startedAt = options.liveStartedAt;
    if (startedAt !== undefined && !(startedAt instanceof Date) && typeof startedAt !== 'string') {
      throw new TypeError('liveStartedAt option must be an ISO 8601 string or a Date');
    }
    const base: StreamStatus = current?.live
      ? current
      : {
          live: true,
          encoderStreamId: `enc_${randomBytes(6).toString('hex')}`,
          liveStartedAt: new Date(Date.now()).toISOString(),
          mode: 'cloud',
        };
    const status: StreamStatus = {
      live: true,
      encoderStreamId: options.encoderStreamId ?? base.encoderStreamId,
      liveStartedAt:
        startedAt instanceof Date ? startedAt.toISOString() : (startedAt ?? base.liveStartedAt),
      mode: options.mode ?? base.mode,
    };
    this.#removed.delete(studioId);
    this.#statuses.set(studioId, status);
    return { ...status };
  }

  goOffline(studioId: string): StreamStatus {
    checkStudioId(studioId);
    this.#removed.delete(studioId);
    const status = offlineStatus();
    this.#statuses.set(studioId, status);
    return { ...status };
  }

  remove(studioId: string): void {
    checkStudioId(studioId);
    this.#statuses.delete(studioId);
    this.#removed.add(studioId);
  }

  isRemoved(studioId: string): boolean {
    return this.#removed.has(studioId);
  }

  status(studioId: string): StreamStatus {
    const status = this.#statuses.get(studioId);
    return status ? { ...status } : offlineStatus();
  }
}

function checkStudioId(studioId: unknown): asserts studioId is string {
  if (typeof studioId !== 'string' || studioId.length === 0)
    throw new TypeError('studioId must be a non-empty string');
}
