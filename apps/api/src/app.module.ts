import { Module } from '@nestjs/common';
import { AuthModule } from '@retail/auth';
import { ChatModule } from '@retail/chat';
import { AppConfigModule } from '@retail/config';
import { DatabaseModule } from '@retail/database';
import { HealthModule } from '@retail/health';
import { IdempotencyModule } from '@retail/idempotency';
import { InventoryModule } from '@retail/inventory';
import { AlertSweepsModule, NotificationsModule } from '@retail/notifications';
import { ObservabilityModule } from '@retail/observability';
import { PosModule } from '@retail/pos';
import { RealtimeModule } from '@retail/realtime';
import { RedisModule } from '@retail/redis';
import { UsersModule } from '@retail/users';
import { WorkspacesModule } from '@retail/workspaces';

/** One replica: infrastructure first, then the domain modules. */
@Module({
  imports: [
    AppConfigModule,
    ObservabilityModule,
    DatabaseModule,
    RedisModule,
    AuthModule,
    HealthModule,
    IdempotencyModule,
    RealtimeModule,
    WorkspacesModule,
    UsersModule,
    // Domain modules: each adds one line below.
    InventoryModule,
    PosModule,
    NotificationsModule,
    AlertSweepsModule,
    ChatModule,
  ],
})
export class AppModule {}
