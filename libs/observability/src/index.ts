export { MetricsService } from './metrics.service.js';
export { ObservabilityModule } from './observability.module.js';
