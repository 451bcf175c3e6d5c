export { createTestEvent } from './create-test-event.js';
export type { RateLimitOptions } from './fixed-window-rate-limit.js';
export type { InjectedFault, InjectFaultOptions, MockFault } from './mock-fault.js';
export {
  type MockRequest,
  type MockTraxApi,
  type MockTraxApiOptions,
  startMockTraxApi,
} from './start-mock-trax-api.js';
export { type GoLiveOptions, offlineStatus, type StreamStatus } from './stream-status.js';
