import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@retail/config';
import { describeDemoDeviceKeys, seedDemoData } from './seed/seed-data.js';
import { deployMigrations } from './migrations/migrator.js';
import { PrismaService } from './prisma.service.js';

/**
 * Embedded mode is the one-command start: migrate the PGlite database and, unless this is
 * production without SEED_DEMO_DATA=true, seed the demo chain when it is empty. With DATABASE_URI, migrations are an explicit ops step instead.
 */
@Injectable()
export class EmbeddedBootstrap implements OnModuleInit {
  private readonly logger = new Logger('EmbeddedBootstrap');

  constructor(
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.database.embedded) return;
    const applied = await deployMigrations(this.prisma.driver.factory, { log: (line) => this.logger.debug(line.trim()) });
    if (applied.length) this.logger.log(`Applied migrations: ${applied.join(', ')}`);
    if (this.config.demo.seed && (await this.prisma.company.count()) === 0) {
      const deviceKeys = await seedDemoData(this.prisma);
      this.logger.log('Seeded the demo chain (demo passwords: demo1234)');
      // Random keys, in a developer's console only: never in production logs.
      if (deviceKeys && this.config.nodeEnv === 'development') this.logger.log(describeDemoDeviceKeys(deviceKeys));
    }
  }
}
