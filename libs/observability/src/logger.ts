import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@retail/config';

/** A client's request id is kept only when it is short and plain; anything else could forge or flood log lines. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** Levels at which each finished request is logged ("request completed"). */
const REQUEST_LOG_LEVELS: ReadonlySet<string> = new Set(['trace', 'debug', 'info']);

/**
 * Structured JSON logs; every request carries a request id (the client's X-Request-Id when safe).
 * A request is described by its id, method and url only: every request's logger is bound to that
 * description as it starts, logged or not, so it must be cheap, and no header (no credential:
 * bearer token, login device cookie) can reach a log line. Above `info`, finished requests are not
 * logged at all.
 */
export const StructuredLoggerModule = LoggerModule.forRootAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig) => ({
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req, res) => {
        const id = requestIdFrom(req.headers['x-request-id']);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: REQUEST_LOG_LEVELS.has(config.logLevel) && { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  }),
});
