/**
 * What `GET /v1/studios/{id}/stream-status` answers. Offline is all `null`s besides
 * `live: false`, so a reader never has to guess which fields exist.
 */
export interface StreamStatus {
  live: boolean;
  encoderStreamId: string | null;
  /** ISO 8601 start of the live session, `null` when offline. */
  liveStartedAt: string | null;
  mode: string | null;
}

/** Overrides for {@link MockTraxApi.goLive}; anything left out gets a fresh default. */
export interface GoLiveOptions {
  /** @default `enc_<random>` for a new session, the current one while already live */
  encoderStreamId?: string;
  /** @default now for a new session, the current one while already live */
  liveStartedAt?: string | Date;
  /** @default 'cloud' */
  mode?: string;
}

/** The body a studio answers while offline (and a studio the mock has never heard of). */
export function offlineStatus(): StreamStatus {
  return { live: false, encoderStreamId: null, liveStartedAt: null, mode: null };
}
