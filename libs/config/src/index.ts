export { AppConfig, seedsDemoData } from './app-config.js';
export { AppConfigModule } from './app-config.module.js';
export { ConfigError, parseEnv, type Env } from './env.schema.js';
export { estimatedSecretBits, jwtKeyId, jwtSecretProblem } from './jwt-secret.js';
