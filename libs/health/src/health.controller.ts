import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, PrismaHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { NoRateLimit, Public } from '@retail/auth';
import { AppError } from '@retail/common';
import { PrismaService } from '@retail/database';
import { RedisConnections } from '@retail/redis';
import { Readiness } from './readiness.js';

const CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Public()
@NoRateLimit()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly prismaIndicator: PrismaHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly redis: RedisConnections,
    private readonly readiness: Readiness,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary:
      "The database answers (503 database_unavailable otherwise) and no shutdown has begun (503 shutting_down); Redis is reported, 'degraded' while down, but never a 503 alone",
  })
  async ready() {
    if (this.readiness.shuttingDown) throw new AppError(HttpStatus.SERVICE_UNAVAILABLE, 'shutting_down', 'Not ready: shutting down');
    try {
      return await this.health.check([
        () => this.prismaIndicator.pingCheck('database', this.prisma, { timeout: CHECK_TIMEOUT_MS }),
        ...(this.redis.enabled ? [() => this.redisCheck()] : []),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Keep terminus' per-check report in the body, under the usual error shape.
      const report = error.getResponse() as HealthCheckResult;
      const code = report.status === 'shutting_down' ? 'shutting_down' : 'database_unavailable';
      throw new AppError(HttpStatus.SERVICE_UNAVAILABLE, code, `Not ready: ${code.replace('_', ' ')}`, report);
    }
  }

  /**
   * Without Redis a replica still serves REST (login limits fail open; only delivery to other
   * replicas' sockets and the sweeps wait for it): a balancer that dropped every replica would be worse.
   */
  private async redisCheck() {
    const redis = this.indicators.check('redis');
    try {
      await this.redis.client.ping(); // bounded by the shared client's command timeout
      return redis.up();
    } catch (error) {
      return redis.degraded({ message: (error as Error).message });
    }
  }
}
