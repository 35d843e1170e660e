/**
 * @luot/client: the one queue client and the one HTTP client every Luot screen uses (kiosk,
 * counter, TV, admin, rating tablet, phone page), in browsers and in Node. No DOM.
 */
export { RECONNECT_POLICY, backoffDelay, systemTiming, type BackoffPolicy, type Timing } from './timing.js';
export { isAuthRefusal, keepConnected, openSocket, refusalCode, socketOptions, type Link, type LinkHandlers, type LinkOptions, type LuotSocket, type OpenSocket, type SocketAuth } from './connection.js';
export { createQueueClient, type ConnectionStatus, type QueueClient, type QueueClientOptions, type StateCause } from './queue-client.js';
export { POLL_MS, fetchPublicTicket, watchTicket, type FetchResult, type TicketWatch, type TicketWatchHandlers, type TicketWatchOptions, type WatchStatus } from './ticket-watch.js';
export {
  ApiError,
  NO_ANSWER,
  RETRY_POLICY,
  createHttpClient,
  errorFrom,
  isWorthRetrying,
  retryUntilAnswered,
  toApiError,
  type ApiErrorBody,
  type ApiErrorCode,
  type CallArgs,
  type CallOptions,
  type CallResult,
  type FileRoute,
  type HttpClient,
  type HttpClientOptions,
  type Method,
  type RequestOptions,
  type RetryOptions,
} from './http-client.js';
export { randomKey } from './random-key.js';
