import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger as NestLogger, StandardSchemaValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { json } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { HttpExceptionFilter, validationError } from '@retail/common';
import { AppConfig, ConfigError, parseEnv } from '@retail/config';
import { configureHashingLanes } from '@retail/passwords';
import { RealtimeIoAdapter } from '@retail/realtime';
import { AppModule } from './app.module.js';
import { exitGracefullyOn } from './shutdown.js';
import { setupSwagger } from './swagger.js';

/** Bad configuration (or a weak embedded secret file) stops the process before Nest starts, with one line naming the variables. */
function validConfiguration(): AppConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return new AppConfig(parseEnv(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

async function createApp(): Promise<NestExpressApplication> {
  // Before any provider runs: the boot's own checks already hash in these lanes.
  configureHashingLanes(validConfiguration().passwordHashing);
  return NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, abortOnError: false });
}

async function bootstrap() {
  const app = await createApp();
  const config = app.get(AppConfig);
  const logger = new NestLogger('Bootstrap');
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalPipes(new StandardSchemaValidationPipe({ exceptionFactory: validationError }));
  // Only these proxies' X-Forwarded-For is believed: anyone else could name their own address.
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  // An API of commands and fresh reads: hashing every answer for an ETag nobody sends back is waste.
  app.set('etag', false);
  app.enableCors({ origin: config.cors.origins === '*' ? true : config.cors.origins, credentials: false });
  // A till's upload after an outage carries up to 500 whole sales; every other body stays small.
  app.use('/pos/sales/sync', json({ limit: '4mb' }));
  app.useBodyParser('json', { limit: '256kb' });
  if (config.http.docsEnabled) setupSwagger(app);
  if (config.websocket.enabled) app.useWebSocketAdapter(new RealtimeIoAdapter(app));

  exitGracefullyOn(app, ['SIGTERM', 'SIGINT']);

  await app.listen(config.http.port, config.http.host);
  const base = `http://localhost:${config.http.port}`;
  const sockets = config.websocket.enabled ? `Socket.IO on port ${config.websocket.port}` : 'sockets disabled (REST only)';
  const docs = config.http.docsEnabled ? `Swagger UI at ${base}/docs` : 'docs off';
  logger.log(`HTTP on ${config.http.host}:${config.http.port}; ${sockets}; ${docs}`);
  if (config.jwt.generated) logger.warn(`JWT_SECRET not set: using the generated secret kept in ${config.database.dataDir}/jwt-secret`);
  if (config.database.embedded && config.demo.seed) {
    logger.log(
      `Log in: curl -X POST ${base}/auth/login -H 'content-type: application/json' -d '{"email":"admin@demo.local","password":"demo1234"}'`,
    );
  }
}

process.on('unhandledRejection', (reason) => new NestLogger('Process').error(`Unhandled rejection: ${String(reason)}`));
await bootstrap();
