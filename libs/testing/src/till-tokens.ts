import { randomUUID } from 'node:crypto';
import { connectPrisma } from './database.js';
import { craftToken, decodeClaims } from './tokens.js';

/**
 * Many tills' tokens without a password hash each: a login session per till written to the
 * database, and a token for it signed as the server signs (TEST_JWT_SECRET), from the claims of
 * one real token of the same user (`template`). For load and presence tests of hundreds of tills.
 */
export async function tillTokens(databaseUri: string, template: string, deviceIds: string[]): Promise<string[]> {
  const claims = decodeClaims(template);
  const sessions = deviceIds.map((deviceId) => ({ id: randomUUID(), userId: claims.sub as string, deviceId }));
  const prisma = await connectPrisma(databaseUri);
  try {
    await prisma.loginSession.createMany({ data: sessions.map((s) => ({ ...s, expiresAt: new Date(claims.exp * 1000 + 3600_000) })) });
  } finally {
    await prisma.$disconnect();
  }
  return sessions.map(({ id, deviceId }) => craftToken({ ...claims, sid: id, deviceId }));
}
