import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@retail/config';
import { DEMO_PASSWORD, DEMO_USER_EMAILS, PrismaService } from '@retail/database';
import { verifyPassword } from '@retail/passwords';

/**
 * A production replica refuses to start while a demo account still has the published demo
 * password, unless SEED_DEMO_DATA=true says this deployment is a demo. Checked once at boot, one
 * compare per distinct hash (the seed gives them all the same one).
 */
@Injectable()
export class DemoAccountsCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoAccounts');

  constructor(
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.nodeEnv !== 'production' || this.config.demo.seed) return;
    const users = await this.prisma.user.findMany({
      where: { email: { in: DEMO_USER_EMAILS } },
      select: { email: true, passwordHash: true },
    });
    const exposed: string[] = [];
    for (const hash of new Set(users.map((u) => u.passwordHash))) {
      if (await verifyPassword(DEMO_PASSWORD, hash)) exposed.push(...users.filter((u) => u.passwordHash === hash).map((u) => u.email));
    }
    if (!exposed.length) return;
    const message =
      `Refusing to start: demo account(s) ${exposed.join(', ')} still have the public demo password. ` +
      'Change their passwords or delete them, or set SEED_DEMO_DATA=true if this deployment is a demo.';
    this.logger.fatal(message);
    throw new Error(message);
  }
}
