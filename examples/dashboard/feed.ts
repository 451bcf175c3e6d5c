/** A running source of events for the dashboard. */
export interface Feed {
  /** What the terminal prints about it once it runs (URLs, how to flip a studio). */
  readonly notes: string[];
  /** Stops it; resolves once nothing more will be delivered. */
  stop(): Promise<void>;
}

/** The key the mock TRaX API accepts: the mock feeds need no real one. */
export const MOCK_API_KEY = 'sk_test_dashboard';

/** How the terminal tells a user to flip a studio on the mock API from a second terminal. */
export function mockApiNotes(apiUrl: string, studioId: string): string[] {
  return [
    `mock TRaX API: ${apiUrl}`,
    'flip a studio from a second terminal:',
    `  curl -X POST ${apiUrl}/_mock/studios/${studioId}/live`,
    `  curl -X POST ${apiUrl}/_mock/studios/${studioId}/offline`,
  ];
}
