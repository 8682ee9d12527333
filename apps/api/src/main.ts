import 'reflect-metadata';
import { Logger as NestLogger, StandardSchemaValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { HttpExceptionFilter, validationError } from '../../../libs/common/src/index.js';
import { AppConfig, ConfigError } from '../../../libs/config/src/index.js';
import { RealtimeIoAdapter } from '../../../libs/realtime/src/index.js';
import { setupSwagger } from './swagger.js';

async function createApp(): Promise<NestExpressApplication> {
  try {
    // Imported lazily so that a configuration error is caught here and reported in one line.
    const { AppModule } = await import('./app.module.js');
    return await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, abortOnError: false });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function bootstrap() {
  const app = await createApp();
  const config = app.get(AppConfig);
  const logger = new NestLogger('Bootstrap');
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalPipes(new StandardSchemaValidationPipe({ exceptionFactory: validationError }));
  app.set('trust proxy', 'loopback, uniquelocal');
  app.useBodyParser('json', { limit: '256kb' });
  setupSwagger(app);
  if (config.websocket.enabled) app.useWebSocketAdapter(new RealtimeIoAdapter(app));

  // Graceful shutdown: close sockets, Redis and the database, then exit 0 (Nest's own hooks re-raise the signal).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, async () => {
      logger.log(`${signal} received, shutting down`);
      await app.close().catch((error) => logger.error(error));
      process.exit(0);
    });
  }

  await app.listen(config.http.port, '0.0.0.0');
  const base = `http://localhost:${config.http.port}`;
  const sockets = config.websocket.enabled ? `Socket.IO on port ${config.websocket.port}` : 'sockets disabled (REST only)';
  logger.log(`HTTP on ${base}; ${sockets}; Swagger UI at ${base}/docs`);
  if (config.jwt.generated) logger.warn(`JWT_SECRET not set: using the generated secret kept in ${config.database.dataDir}/jwt-secret`);
  if (config.database.embedded) {
    logger.log(`Log in: curl -X POST ${base}/auth/login -H 'content-type: application/json' -d '{"email":"admin@demo.local","password":"demo1234"}'`);
  }
}

process.on('unhandledRejection', (reason) => new NestLogger('Process').error(`Unhandled rejection: ${String(reason)}`));
await bootstrap();
