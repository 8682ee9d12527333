/** Why the client reports an error; it keeps running after each of them unless said otherwise. */
export type RealtimeClientErrorCode =
  /** The server refused the handshake for a reason a fresh token cannot fix (e.g. `forbidden`); the client stops. */
  | 'connect_refused'
  /** `getToken()` failed; the client tries again with backoff. */
  | 'token_failed'
  /** The server ended the session (`details.code`: token_revoked, slow_consumer, …); the client reconnects with a fresh token and resumes. */
  | 'session_ended'
  /** A command was refused or timed out. */
  | 'command_failed'
  /** A gap made no progress within the gap timeout; its resume was sent again. */
  | 'gap_stalled'
  /** An event handler, or a sale queue's onResult, threw; the other handlers still got the event. */
  | 'handler_failed'
  /** Loading or saving positions or queued sales failed, or what was loaded is not positions. */
  | 'storage_failed'
  /**
   * An upload of queued sales failed for a reason that passes (the network, a timeout, getToken(), 401
   * twice, 429, 5xx, an answer off the contract: `details.code`); the sales stay pending, and the queue
   * sends them again in `details.retryInMs` (unless autoSync is off: then sync() when you will).
   */
  | 'sync_failed'
  /**
   * The server refused a whole upload as it is (400, 403, …: `details` is its error); the sales stay
   * pending and go again on the next add() or sync(), never on a timer.
   */
  | 'sync_refused'
  /** The server would not store one sale (`details` is its result: conflict or rejected); it is kept as failed until retry() or discard(). */
  | 'sale_refused';

export class RealtimeClientError extends Error {
  constructor(
    readonly code: RealtimeClientErrorCode,
    message: string,
    readonly details?: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RealtimeClientError';
  }
}
