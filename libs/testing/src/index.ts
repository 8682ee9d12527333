export {
  ack,
  api,
  connectSocket,
  connectStream,
  login,
  loginSession,
  nextEvent,
  QUIET_MS,
  record,
  sessionEnd,
  sleep,
  TEST_DEVICE_KEY,
  until,
  type ApiResponse,
  type LoginOptions,
  type SessionTokens,
  type StreamSocket,
  type TestEnvelope,
} from './clients.js';
export { connectPrisma, createTestDatabase, type TestDatabase } from './database.js';
export { allCaughtUp, consecutive, openDashboard, type Dashboard } from './dashboards.js';
export { createUser, demoIds, issueDeviceKey } from './demo.js';
export { startDomainHarness, type DomainHarness } from './domain-harness.js';
export { HAPROXY_CONFIG, startHaproxy, startHaproxyOnDns, type Haproxy } from './haproxy.js';
export { memoryProbeEnv, probedMemory, type ProbedMemory } from './memory-probe.js';
export { readMetrics } from './metrics.js';
export { startNginx, type Nginx } from './nginx.js';
export { productBySku, sell, sellAtTill, sellSteadily, tillSale } from './pos-flow.js';
export {
  startPrivatePostgres,
  startPrivateRedis,
  startPrivateRedisCluster,
  type PrivatePostgres,
  type PrivateRedis,
  type PrivateRedisCluster,
} from './private-services.js';
export { POSTGRES_ADMIN_URI, probeServices, REDIS_TEST_URL } from './probe-services.js';
export { recordingRealtime, type SentEvent } from './recording-realtime.js';
export {
  freePort,
  PRODUCTION_TEST_JWT_SECRET,
  startCluster,
  startReplica,
  TEST_JWT_SECRET,
  type Cluster,
  type Replica,
} from './replica.js';
export { startRetailApp, type RetailApp } from './retail-app.js';
export { describeWithServices } from './services.js';
export { forwardAddress, startServiceDns, type ServiceDns } from './service-dns.js';
export { craftToken, decodeClaims, decodeHeader, expiredToken } from './tokens.js';
export { storeWithTills, tillTokens } from './till-tokens.js';
export { startNetworkCut, type LinkState, type NetworkCut } from './network-cut.js';
