export { RedisConnections } from './redis-connections.service.js';
export { RedisModule } from './redis.module.js';
