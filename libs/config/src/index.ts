export { AppConfig, seedsDemoData } from './app-config.js';
export { AppConfigModule } from './app-config.module.js';
export { ConfigError, parseEnv, type Env } from './env.schema.js';
export { estimatedSecretBits, jwtKeyId, jwtSecretProblem } from './jwt-secret.js';
export { crashAt, FAULT_POINTS, type FaultPoint } from './fault-injection.js';
