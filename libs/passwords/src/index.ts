export { hashPassword, PASSWORD_HASH_COST, verifyPassword } from './passwords.js';
