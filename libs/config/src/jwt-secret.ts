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

/**
 * sha256 of the secrets this repository publishes for its tests (libs/testing's TEST_JWT_SECRET and
 * the test files' own): anyone can read them, and sign tokens with them. Production refuses them;
 * tests keep using them. jwt-secret.spec.ts finds every secret committed and checks that it is listed.
 */
const PUBLISHED_SECRETS = new Set([
  'a8eeb53fa6e9d02149f378ed83bf1da20a1b930358fa308d37acc389ad173027',
  'a30078391e0954ff948abc272bbbbbf37470b6295bd18efc9639ca23d21d1657',
  'fe12b0cbb4bc4b661fc2ed477d73b442aa59bc0fa3e87ba8a0fabe038aa922b8',
  '9f7c4d7395be584562998789f53f0761d9592b20b0bc51cbe96787abffc7c133',
]);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

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

/** Why a JWT secret is refused, or undefined when it is acceptable; `production` refuses the published ones too. */
export function jwtSecretProblem(secret: string, { production = false } = {}): string | undefined {
  const lower = secret.toLowerCase();
  const word = PLACEHOLDER_WORDS.find((w) => lower.includes(w));
  if (word) return `looks like a placeholder (contains "${word}"); generate one, e.g. openssl rand -base64 48`;
  if (secret.length < MIN_SECRET_LENGTH || estimatedSecretBits(secret) < MIN_SECRET_BITS) {
    return (
      `too weak: needs at least ${MIN_SECRET_LENGTH} characters and about ${MIN_SECRET_BITS} bits ` +
      '(length × log2 of the distinct characters used); generate one, e.g. openssl rand -base64 48'
    );
  }
  if (production && PUBLISHED_SECRETS.has(sha256(secret))) {
    return 'is a test secret published in this repository, refused with NODE_ENV=production; generate one, e.g. openssl rand -base64 48';
  }
  return undefined;
}

/** The `kid` of the key a secret makes: public, stable, and says nothing usable about the secret. */
export const jwtKeyId = (secret: string) => sha256(secret).slice(0, 16);
