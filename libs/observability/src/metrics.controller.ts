import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { bearerToken, NoRateLimit, Public } from '@retail/auth';
import { AppError } from '@retail/common';
import { AppConfig } from '@retail/config';
import { MetricsService } from './metrics.service.js';

/**
 * Prometheus scrape. With METRICS_TOKEN only `Authorization: Bearer <METRICS_TOKEN>` reads it; in
 * production without one it is not served at all (404), as if it did not exist.
 */
@ApiExcludeController()
@Public()
@NoRateLimit()
@Controller('metrics')
export class MetricsController {
  private readonly token?: Buffer;

  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {
    this.token = config.metrics.token === undefined ? undefined : Buffer.from(config.metrics.token);
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(@Headers('authorization') authorization: string | undefined) {
    if (!this.config.metrics.served) throw AppError.notFound('Route');
    if (this.token && !sameSecret(this.token, bearerToken(authorization))) {
      throw AppError.unauthorized('Metrics need Authorization: Bearer <METRICS_TOKEN>', 'token_invalid');
    }
    return this.metrics.registry.metrics();
  }
}

function sameSecret(expected: Buffer, given: string | undefined): boolean {
  const candidate = Buffer.from(given ?? '');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}
