import { Global, Logger, Module } from '@nestjs/common';
import { AppConfig } from '@retail/config';
import { openDriverAdapter } from './driver-adapter.js';
import { EmbeddedBootstrap } from './embedded-bootstrap.js';
import { PrismaService } from './prisma.service.js';
import { TransactionRunner } from './transaction-runner.js';

@Global()
@Module({
  providers: [
    {
      provide: PrismaService,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const { uri, dataDir, connectTimeoutMs, statementTimeoutMs } = config.database;
        const driver = await openDriverAdapter({
          databaseUri: uri,
          dataDir,
          timeouts: { connectMs: connectTimeoutMs, statementMs: statementTimeoutMs },
        });
        new Logger('Database').log(driver.kind === 'pglite' ? `Embedded PGlite database in ${dataDir}` : 'PostgreSQL via DATABASE_URI');
        return new PrismaService(driver);
      },
    },
    EmbeddedBootstrap,
    TransactionRunner,
  ],
  exports: [PrismaService, TransactionRunner],
})
export class DatabaseModule {}
