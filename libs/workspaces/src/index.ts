export { WorkspacesModule } from './workspaces.module.js';
export { WorkspacesService, type WorkspaceSummary } from './workspaces.service.js';
