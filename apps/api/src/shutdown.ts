import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { AppConfig } from '@retail/config';
import { Readiness } from '@retail/health';
import { SocketDrain } from '@retail/realtime';

/**
 * SIGTERM / SIGINT: readiness turns 503 at once (balancers stop sending new work), the sockets
 * are closed in batches over DRAIN_SECONDS (their reconnects spread over the other replicas), then
 * Nest closes the rest in order: the HTTP server once its in-flight requests have answered, then
 * the relay, Redis and the database. Exit 0; exit 1 if all that overruns SHUTDOWN_TIMEOUT_MS.
 */
export function exitGracefullyOn(app: INestApplication, signals: NodeJS.Signals[]): void {
  const logger = new Logger('Shutdown');
  const { drainSeconds, timeoutMs } = app.get(AppConfig).shutdown;
  const shutdown = async (signal: NodeJS.Signals) => {
    logger.log(`${signal} received: draining for ${drainSeconds} s, then shutting down`);
    setTimeout(() => {
      logger.error(`Shutdown still not done after ${timeoutMs} ms: exiting anyway`);
      process.exit(1);
    }, timeoutMs);
    app.get(Readiness).beginShutdown();
    await app.get(SocketDrain).drain(drainSeconds);
    // Node's close() ends only the keep-alive connections idle at that moment; one whose request
    // finishes later would hold the exit until its keep-alive timeout.
    const http = app.getHttpServer() as Server;
    const closeIdle = setInterval(() => http.closeIdleConnections(), 100);
    await app.close().catch((error: unknown) => logger.error(error));
    clearInterval(closeIdle);
    process.exit(0);
  };
  for (const signal of signals) process.once(signal, (received) => void shutdown(received));
}
