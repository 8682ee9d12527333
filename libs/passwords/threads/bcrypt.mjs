// The task every hashing thread runs (libs/passwords/src/hashing-lanes.ts). Plain JavaScript, beside
// src/ and dist/ alike, so threads load it as it is whether the package runs from its sources or its build.
import bcrypt from '@node-rs/bcrypt';

export default function hashTask({ password, hash, cost }) {
  if (hash === undefined) return bcrypt.hashSync(password, cost);
  try {
    return bcrypt.verifySync(password, hash);
  } catch {
    return false; // a malformed hash matches no password
  }
}
