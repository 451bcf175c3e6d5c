// The delivery fixtures every package's tests share: the test secrets and the one `stream.live`
// event most tests sign. Like the rest of test-support it depends on nothing but the language,
// so any package's tests can import it; signing stays with each package (it needs core).

/** The Standard Webhooks secret the tests sign with (a test value, never a real one). */
export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
/** A second secret: rotation, and a signature that must not verify. */
export const OTHER_SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=';

/** A `stream.live` event of `studioId` whose session started at `liveStartedAt`. */
export function liveEvent(studioId = 'st_1', liveStartedAt = '2026-11-27T12:00:00.000Z') {
  return {
    type: 'stream.live' as const,
    timestamp: '2026-11-27T12:00:01.000Z',
    data: { studioId, encoderStreamId: 'enc_1', liveStartedAt, mode: 'cloud' as const },
  };
}
