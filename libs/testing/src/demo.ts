import { randomUUID } from 'node:crypto';
import { api, login } from './clients.js';

/** Ids of the seeded demo chain, looked up through the API as its admins see it. */
export async function demoIds(baseUrl: string) {
  const admin = await login(baseUrl, 'admin@demo.local');
  const otherAdmin = await login(baseUrl, 'admin@other.local');
  const workspaces = (await api(baseUrl, 'GET', '/workspaces', admin)).body as Array<{ id: string; name: string; companyId: string }>;
  const otherWorkspaces = (await api(baseUrl, 'GET', '/workspaces', otherAdmin)).body as Array<{
    id: string;
    name: string;
    companyId: string;
  }>;
  const centro = workspaces.find((s) => s.name === 'Centro')!;
  const norte = workspaces.find((s) => s.name === 'Norte')!;
  const [centroDevice] = (await api(baseUrl, 'GET', `/workspaces/${centro.id}/devices`, admin)).body;
  const [norteDevice] = (await api(baseUrl, 'GET', `/workspaces/${norte.id}/devices`, admin)).body;
  return {
    companyId: centro.companyId,
    otherCompanyId: otherWorkspaces[0].companyId,
    centro: centro.id,
    norte: norte.id,
    sur: otherWorkspaces[0].id,
    centroDevice: centroDevice.id as string,
    norteDevice: norteDevice.id as string,
  };
}

/** A new user of the admin's company, through POST /users; answers the user and a password to log in with. */
export async function createUser(
  baseUrl: string,
  adminToken: string,
  user: { role: 'ADMIN' | 'MANAGER' | 'CASHIER' | 'STAFF'; workspaceIds: string[]; email?: string; name?: string },
) {
  const password = 'a-test-password-1';
  const email = user.email ?? `${user.role.toLowerCase()}-${randomUUID().slice(0, 8)}@test.local`;
  const { status, body } = await api(baseUrl, 'POST', '/users', adminToken, { name: `Test ${user.role}`, email, password, ...user });
  if (status !== 201) throw new Error(`creating ${email} failed: ${status} ${JSON.stringify(body)}`);
  return { id: body.id as string, email, password };
}

/** Issues a till a new key as its company's ADMIN (the old one stops working, its sessions end); answers the key. */
export async function issueDeviceKey(baseUrl: string, adminToken: string, workspaceId: string, deviceId: string): Promise<string> {
  const { status, body } = await api(baseUrl, 'POST', `/workspaces/${workspaceId}/devices/${deviceId}/key`, adminToken);
  if (status !== 200) throw new Error(`issuing a key to device ${deviceId} failed: ${status} ${JSON.stringify(body)}`);
  return body.deviceKey;
}
