/**
 * The alert rules' conditions, as dedup keys: one live (open or acknowledged) alert per condition
 * and recipient. Raising a condition again bumps its alert; clearing it (resolveConditions)
 * resolves it, and raising it within REOPEN_WITHIN_MS of that reopens the same alert.
 *
 * | rule | kind | raised by | resolved when |
 * |---|---|---|---|
 * | low stock | LOW_STOCK | a decrease leaving stock below its minimum | stock back at or above the minimum |
 * | negative stock | NEGATIVE_STOCK | a till sale leaving stock below zero | stock back at or above zero |
 * | expired / expiring lot | EXPIRED_PRODUCT, EXPIRING_SOON | the sweep | the lot removed or sold out |
 * | cash limit | CASH_LIMIT | a sale taking the drawer over its limit | the drawer under its limit, or closed |
 * | overdue count | SYSTEM_TASK | the sweep | the count closed |
 * | till offline | TILL_OFFLINE | till presence | the till back online |
 * | store offline | STORE_OFFLINE | till presence | a till of the store back online |
 * | too many open alerts | SYSTEM_TASK | MAX_OPEN_ALERTS_PER_COMPANY reached | by hand |
 *
 * The sweep's keys keep the spelling they had before alerts had a life, so nothing is raised twice.
 */
export const ALERT_CONDITIONS = {
  lowStock: (workspaceId: string, productId: string) => `low_stock:${workspaceId}:${productId}`,
  negativeStock: (workspaceId: string, productId: string) => `negative_stock:${workspaceId}:${productId}`,
  expiredLot: (lotId: string) => `EXPIRED:${lotId}`,
  expiringLot: (lotId: string, expiresAt: Date) => `EXPIRING:${lotId}:${expiresAt.toISOString()}`,
  cashLimit: (cashSessionId: string) => `cash_limit:${cashSessionId}`,
  overdueCount: (countId: string) => `COUNT_OVERDUE:${countId}`,
  tillOffline: (deviceId: string) => `till_offline:${deviceId}`,
  storeOffline: (workspaceId: string) => `store_offline:${workspaceId}`,
  overflow: () => 'alert_overflow',
} as const;

/** A condition raised again this soon after its alert was resolved automatically reopens that alert (flapping). */
export const REOPEN_WITHIN_MS = 10 * 60 * 1000;

/** Past this many open alerts, a company's new conditions bump one overflow alert instead. */
export const MAX_OPEN_ALERTS_PER_COMPANY = 10_000;
