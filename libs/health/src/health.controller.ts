import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, PrismaHealthIndicator } from '@nestjs/terminus';
import { Public } from '@retail/auth';
import { PrismaService } from '@retail/database';
import { RedisConnections } from '@retail/redis';

const CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly prismaIndicator: PrismaHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly redis: RedisConnections,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'The database (and Redis, when configured) answer; 503 otherwise' })
  ready() {
    return this.health.check([
      () => this.prismaIndicator.pingCheck('database', this.prisma, { timeout: CHECK_TIMEOUT_MS }),
      ...(this.redis.enabled
        ? [
            () =>
              this.indicators
                .check('redis')
                .attempt(() => this.redis.client.ping().then(() => undefined))
                .withTimeout(CHECK_TIMEOUT_MS),
          ]
        : []),
    ]);
  }
}
