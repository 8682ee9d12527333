import { randomUUID } from 'node:crypto';
import { api } from './clients.js';
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

/**
 * A new store made through the API by the company's ADMIN (`fields` beside a fresh name and UTC),
 * with `count` tills, each with a token of the ADMIN's (who may use any till), as tillTokens makes them.
 */
export async function storeWithTills(
  baseUrl: string,
  admin: string,
  databaseUri: string,
  count: number,
  fields: Record<string, unknown> = {},
): Promise<{ store: string; tills: Array<{ id: string; token: string }> }> {
  const created = await api(baseUrl, 'POST', '/workspaces', admin, {
    name: `Store ${randomUUID().slice(0, 8)}`,
    timeZone: 'UTC',
    ...fields,
  });
  if (created.status !== 201) throw new Error(`creating a store failed: ${created.status} ${JSON.stringify(created.body)}`);
  const store: string = created.body.id;
  const ids: string[] = [];
  // A few at a time: hundreds of tills are made in seconds, without a burst the API would queue.
  for (let first = 0; first < count; first += 16) {
    const batch = Array.from({ length: Math.min(16, count - first) }, (_, k) => first + k);
    ids.push(
      ...(await Promise.all(
        batch.map(
          async (i) => (await api(baseUrl, 'POST', `/workspaces/${store}/devices`, admin, { name: `TILL-${i}` })).body.id as string,
        ),
      )),
    );
  }
  const tokens = await tillTokens(databaseUri, admin, ids);
  return { store, tills: ids.map((id, i) => ({ id, token: tokens[i] })) };
}
