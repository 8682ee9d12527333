export { RedisConnections, type ConnectionOptions, type RedisClient } from './redis-connections.js';
export { RedisModule } from './redis.module.js';
