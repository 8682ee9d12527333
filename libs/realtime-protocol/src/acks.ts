/** The error half of every ack, and of every HTTP error body. Branch on `code`, never on `message`. */
export interface WireError {
  code: string;
  message: string;
  details?: unknown;
}

/** The answer to every client command: `{ok:true,...result}` or `{ok:false,error}`. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: WireError };
