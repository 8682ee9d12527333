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
  /** An event handler threw; the other handlers still got the event. */
  | 'handler_failed'
  /** Loading or saving positions failed, or what was loaded is not positions. */
  | 'storage_failed';

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
