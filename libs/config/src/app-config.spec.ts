import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppConfig } from './app-config.js';
import { ConfigError, parseEnv } from './env.schema.js';

describe('the embedded JWT secret', () => {
  const roots: string[] = [];
  const freshRoot = () => {
    const root = mkdtempSync(join(tmpdir(), 'app-config-'));
    roots.push(root);
    return root;
  };
  afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('is generated once in a private DATA_DIR, readable by its owner only, and read back on the next boot', () => {
    const dataDir = join(freshRoot(), 'data');
    const first = new AppConfig(parseEnv({ DATA_DIR: dataDir }));
    expect(first.jwt.generated).toBe(true);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(first.jwt.secret);
    expect(new AppConfig(parseEnv({ DATA_DIR: dataDir })).jwt.secret).toBe(first.jwt.secret);
  });

  it('refuses a secret file that is too short or weak, naming the file', () => {
    const dataDir = freshRoot();
    writeFileSync(join(dataDir, 'jwt-secret'), 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(() => new AppConfig(parseEnv({ DATA_DIR: dataDir }))).toThrow(ConfigError);
    expect(() => new AppConfig(parseEnv({ DATA_DIR: dataDir }))).toThrow(/jwt-secret: too weak/);
  });
});
