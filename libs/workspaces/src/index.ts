export { isOpenAt, OpeningHours } from './opening-hours.js';
export { WorkspacesModule } from './workspaces.module.js';
export { isStoreOpen, WorkspacesService, type WorkspaceSummary } from './workspaces.service.js';
