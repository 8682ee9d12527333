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
