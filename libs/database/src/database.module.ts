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
        const driver = await openDriverAdapter({ databaseUri: config.database.uri, dataDir: config.database.dataDir });
        new Logger('Database').log(
          driver.kind === 'pglite' ? `Embedded PGlite database in ${config.database.dataDir}` : 'PostgreSQL via DATABASE_URI',
        );
        return new PrismaService(driver);
      },
    },
    EmbeddedBootstrap,
    TransactionRunner,
  ],
  exports: [PrismaService, TransactionRunner],
})
export class DatabaseModule {}
