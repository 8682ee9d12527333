import { Module } from '@nestjs/common';
import { AuthModule } from '../../../libs/auth/src/index.js';
import { ChatModule } from '../../../libs/chat/src/index.js';
import { AppConfigModule } from '../../../libs/config/src/index.js';
import { DatabaseModule } from '../../../libs/database/src/index.js';
import { HealthModule } from '../../../libs/health/src/index.js';
import { InventoryModule } from '../../../libs/inventory/src/index.js';
import { AlertSweepsModule, NotificationsModule } from '../../../libs/notifications/src/index.js';
import { ObservabilityModule } from '../../../libs/observability/src/index.js';
import { PosModule } from '../../../libs/pos/src/index.js';
import { RealtimeModule } from '../../../libs/realtime/src/index.js';
import { RedisModule } from '../../../libs/redis/src/index.js';
import { WorkspacesModule } from '../../../libs/workspaces/src/index.js';

/** One replica: infrastructure first, then the domain modules. */
@Module({
  imports: [
    AppConfigModule,
    ObservabilityModule,
    DatabaseModule,
    RedisModule,
    AuthModule,
    HealthModule,
    RealtimeModule,
    WorkspacesModule,
    // Domain modules: each adds one line below.
    InventoryModule,
    PosModule,
    NotificationsModule,
    AlertSweepsModule,
    ChatModule,
  ],
})
export class AppModule {}
