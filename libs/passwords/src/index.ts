export { configureHashingLanes, hashingBusy, type HashingLane, type LaneLimits } from './hashing-lanes.js';
export { hashPassword, PASSWORD_HASH_COST, UNKNOWN_ACCOUNT_HASH, verifyPassword } from './passwords.js';
