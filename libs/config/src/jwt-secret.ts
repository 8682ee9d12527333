import { createHash } from 'node:crypto';

/** The smallest secret accepted, in characters and in estimated bits. */
export const MIN_SECRET_LENGTH = 32;
export const MIN_SECRET_BITS = 128;

// Words of the placeholders that docs, samples and old defaults ship; a secret holding one is known to someone.
const PLACEHOLDER_WORDS = [
  'changeme',
  'change-me',
  'change_me',
  'secret',
  'example',
  'placeholder',
  'password',
  'demo',
  'test-secret',
  'default',
];

const CHARACTER_CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];
const CLASS_SIZES = [26, 26, 10, 33];

/**
 * A rough strength estimate: length × log2(symbols it draws from), where the symbols are the
 * distinct characters it uses, at most the size of the character classes they belong to. A
 * random base64 secret of 43+ characters scores well over 128 bits; `aaaa…` scores 0.
 */
export function estimatedSecretBits(secret: string): number {
  const pool = CHARACTER_CLASSES.reduce((sum, pattern, i) => sum + (pattern.test(secret) ? CLASS_SIZES[i] : 0), 0);
  const symbols = Math.min(pool, new Set(secret).size);
  return symbols > 1 ? secret.length * Math.log2(symbols) : 0;
}

/** Why a JWT secret is refused, or undefined when it is acceptable. */
export function jwtSecretProblem(secret: string): string | undefined {
  const lower = secret.toLowerCase();
  const word = PLACEHOLDER_WORDS.find((w) => lower.includes(w));
  if (word) return `looks like a placeholder (contains "${word}"); generate one, e.g. openssl rand -base64 48`;
  if (secret.length < MIN_SECRET_LENGTH || estimatedSecretBits(secret) < MIN_SECRET_BITS) {
    return (
      `too weak: needs at least ${MIN_SECRET_LENGTH} characters and about ${MIN_SECRET_BITS} bits ` +
      '(length × log2 of the distinct characters used); generate one, e.g. openssl rand -base64 48'
    );
  }
  return undefined;
}

/** The `kid` of the key a secret makes: public, stable, and says nothing usable about the secret. */
export const jwtKeyId = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 16);
