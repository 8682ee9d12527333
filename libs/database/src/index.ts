export { databaseNow } from './database-clock.js';
export { DatabaseModule } from './database.module.js';
export { deviceKeyHash, deviceKeyMatches, newDeviceKey } from './device-keys.js';
export { openDriverAdapter, type OpenedDriverAdapter } from './driver-adapter.js';
export { createMigration, defaultMigrationPaths, deployMigrations } from './migrations/migrator.js';
export { PrismaService } from './prisma.service.js';
export { StatementCounts } from './statement-counts.js';
export { DEMO_PASSWORD, DEMO_USER_EMAILS, seedDemoData, type DemoDeviceKey } from './seed/seed-data.js';
export {
  afterCommit,
  beforeCommit,
  TransactionRunner,
  withFirstTransactionStep,
  type FirstTransactionStep,
  type TransactionOptions,
} from './transaction-runner.js';
export type { Db, Tx } from './transaction.js';
// The generated client stays inside this package: other packages get its types and enums from here.
export { Prisma } from './generated/client.js';
export type {
  Company,
  Workspace,
  User,
  WorkspaceMember,
  PosDevice,
  Product,
  Stock,
  StockLot,
  InventoryMovement,
  InventoryCount,
  InventoryCountLine,
  CashSession,
  Cart,
  CartItem,
  Payment,
  Sale,
  SaleLine,
  SaleReturn,
  DailyTotals,
  Notification,
  NotificationRead,
  ChatRoom,
  ChatRoomMember,
  ChatMessage,
  IdempotencyKey,
  RefreshToken,
  LoginSession,
} from './generated/client.js';
export * from './generated/enums.js';
