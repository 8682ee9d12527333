import { SaleSyncResponse, type SaleSyncResult, type TillSale } from '@retail/realtime-protocol';

/** Why an upload brought back no answer per sale: the server's error, or what went wrong on the way. */
export interface UploadProblem {
  /** The HTTP status, when the server answered. */
  status?: number;
  code: string;
  message: string;
  details?: unknown;
}

/** What one upload came to, sorted by what the queue does next. */
export type UploadAnswer =
  /** One result per sale sent, in the order sent. */
  | { kind: 'results'; results: SaleSyncResult[] }
  /** Nothing was decided: try again later, and not before `retryAfterMs` when the server said so. */
  | { kind: 'retry'; problem: UploadProblem; retryAfterMs?: number; cause?: unknown }
  /** The server will not take the upload as it is: trying again at once cannot help. */
  | { kind: 'refused'; problem: UploadProblem };

export interface UploadRequest {
  fetch: typeof globalThis.fetch;
  /** The endpoint, `…/pos/sales/sync`. */
  endpoint: string;
  token: string;
  sales: TillSale[];
  timeoutMs: number;
}

/** POSTs one batch of sales. Never throws: every failure is an answer. */
export async function uploadSales({ fetch, endpoint, token, sales, timeoutMs }: UploadRequest): Promise<UploadAnswer> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ sales }),
      signal: abort.signal,
    });
    // Read here, under the same timeout: a server can stall in the middle of its body too.
    text = await response.text();
  } catch (error) {
    const problem = abort.signal.aborted
      ? { code: 'timeout', message: `no answer within ${timeoutMs} ms` }
      : { code: 'network_error', message: describe(error) };
    return { kind: 'retry', problem, cause: error };
  } finally {
    clearTimeout(timer);
  }
  const body = parseJson(text);
  if (response.ok) {
    const results = resultsFor(sales, body);
    // Without an answer for each sale nothing can be settled; every sale is sent again, which is safe.
    if (results) return { kind: 'results', results };
    return {
      kind: 'retry',
      problem: { status: response.status, code: 'malformed_answer', message: 'the results do not match the sales sent' },
    };
  }
  const problem = problemOf(response, body);
  // 401: an expired token, which a fresh one fixes. 429 and 5xx: the server is busy or down for now.
  if (response.status === 401 || response.status === 429 || response.status >= 500) {
    return { kind: 'retry', problem, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
  }
  return { kind: 'refused', problem };
}

/** fetch's own message says little ("fetch failed"): its cause says what failed (connect ECONNREFUSED …). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The results, when the body is the contract's and holds one for each sale sent, in order. */
function resultsFor(sales: TillSale[], body: unknown): SaleSyncResult[] | undefined {
  const parsed = SaleSyncResponse.safeParse(body);
  if (!parsed.success) return undefined;
  const { results } = parsed.data;
  return results.length === sales.length && results.every((result, i) => result.id === sales[i].id) ? results : undefined;
}

/** The server's `{statusCode, code, message, details?}`, or what the status says when the body is not that. */
function problemOf(response: Response, body: unknown): UploadProblem {
  const error = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown; details?: unknown };
  return {
    status: response.status,
    code: typeof error.code === 'string' ? error.code : `http_${response.status}`,
    message: typeof error.message === 'string' ? error.message : response.statusText,
    details: error.details,
  };
}

/** `Retry-After` in seconds, the only form the server sends. */
function retryAfterMs(header: string | null): number | undefined {
  const seconds = Number(header);
  return header && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
