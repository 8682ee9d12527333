import type { Notification, NotificationKind, NotificationLevel, NotificationScopeType, Tx } from '@retail/database';
import { ALERT_CONDITIONS, MAX_OPEN_ALERTS_PER_COMPANY, REOPEN_WITHIN_MS } from './alert-conditions.js';

/** One notification to store, its columns as stored. */
export interface AlertRow {
  id: string;
  companyId: string;
  scopeType: NotificationScopeType;
  workspaceId: string | null;
  userId: string | null;
  level: NotificationLevel;
  kind: NotificationKind;
  title: string;
  message: string;
  data: Record<string, unknown>;
  dedupKey: string | null;
  /** How many times its condition was seen (inputs with one key are merged before the statement). */
  hits: number;
  /** Seconds until it escalates if nobody acknowledges it; null for INFO. */
  escalateAfter: number | null;
}

/** created: a new alert. repeated: its live alert's count grew. reopened: its alert, auto-resolved moments ago, is open again. */
export type RaiseOutcome = 'created' | 'repeated' | 'reopened';
/** inputId: the input a reopened alert answers (for the statement's own use). */
export type RaisedRow = Notification & { outcome: RaiseOutcome; inputId: string };

const OVERFLOW = {
  title: 'Too many open alerts',
  message: `Over ${MAX_OPEN_ALERTS_PER_COMPANY} alerts are open: new conditions are counted on this alert until some are resolved.`,
};

/**
 * Raises alerts in ONE statement, whatever their number. Per row, in the database:
 * - a live (open or acknowledged) alert of the same key and recipient: its count and lastSeenAt
 *   grow (INSERT ... ON CONFLICT on the partial unique index, so concurrent raisers on any
 *   replica meet on one row);
 * - else one auto-resolved within REOPEN_WITHIN_MS: reopened (reopenCount + 1);
 * - else, with the company at MAX_OPEN_ALERTS_PER_COMPANY open alerts: the overflow alert instead;
 * - else a new alert (INFO: a plain message, state null).
 * Answers every row written, with what happened to it; an overflowed input has no row of its own.
 */
// Enum and jsonb arrays are sent as text[] and cast in SQL: PGlite's driver only serialises arrays of types it knows.
export async function raiseAlerts(tx: Tx, rows: AlertRow[], overflowEscalateAfter: number): Promise<RaisedRow[]> {
  const column = <K extends keyof AlertRow>(key: K) => rows.map((row) => row[key]);
  const bound = MAX_OPEN_ALERTS_PER_COMPANY;
  return tx.$queryRaw<RaisedRow[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${column('id')}::uuid[], ${column('companyId')}::uuid[], ${column('scopeType')}::text[]::"NotificationScopeType"[],
        ${column('workspaceId')}::uuid[], ${column('userId')}::uuid[], ${column('level')}::text[]::"NotificationLevel"[],
        ${column('kind')}::text[]::"NotificationKind"[], ${column('title')}::text[], ${column('message')}::text[],
        ${rows.map((row) => JSON.stringify(row.data))}::text[]::jsonb[], ${column('dedupKey')}::text[], ${column('hits')}::int[],
        ${column('escalateAfter')}::int[]
      ) AS i(id, "companyId", "scopeType", "workspaceId", "userId", level, kind, title, message, data, "dedupKey", hits, "escalateAfter")
    ), flagged AS (
      SELECT i.*, CASE
        WHEN i.level = 'INFO' THEN false
        WHEN EXISTS (
          SELECT 1 FROM "Notification" n
          WHERE n."companyId" = i."companyId" AND n."dedupKey" = i."dedupKey" AND n."userId" IS NOT DISTINCT FROM i."userId"
            AND n.state IN ('open', 'acknowledged')
        ) THEN false
        -- Counted only for a condition without a live alert, and never past the bound.
        ELSE (SELECT count(*) FROM (SELECT 1 FROM "Notification" o WHERE o."companyId" = i."companyId" AND o.state = 'open' LIMIT ${bound}) b) >= ${bound}
      END AS overflowing
      FROM input i
    ), routed AS (
      SELECT id, "companyId", "scopeType", "workspaceId", "userId", level, kind, title, message, data, "dedupKey", hits, "escalateAfter"
      FROM flagged WHERE NOT overflowing
      UNION ALL
      SELECT (array_agg(id))[1], "companyId", 'COMPANY', NULL, NULL, 'ALERT', 'SYSTEM_TASK', ${OVERFLOW.title}, ${OVERFLOW.message},
        '{}'::jsonb, ${ALERT_CONDITIONS.overflow()}, sum(hits)::int, ${overflowEscalateAfter}::int
      FROM flagged WHERE overflowing GROUP BY "companyId"
    ), reopened AS (
      UPDATE "Notification" n SET state = 'open', "reopenCount" = n."reopenCount" + 1, count = n.count + r.hits,
        "lastSeenAt" = now(), "acknowledgedById" = NULL, "acknowledgedAt" = NULL, "resolvedById" = NULL, "resolvedAt" = NULL,
        resolution = NULL, note = NULL, escalated = false, "escalateAt" = now() + make_interval(secs => r."escalateAfter"),
        version = n.version + 1, title = r.title, message = r.message, data = r.data
      FROM routed r
      WHERE r.level <> 'INFO' AND n."companyId" = r."companyId" AND n."dedupKey" = r."dedupKey"
        AND n."userId" IS NOT DISTINCT FROM r."userId" AND n.state = 'resolved' AND n.resolution = 'auto'
        AND n."resolvedAt" > now() - make_interval(secs => ${REOPEN_WITHIN_MS / 1000})
        AND NOT EXISTS (
          SELECT 1 FROM "Notification" l
          WHERE l."companyId" = r."companyId" AND l."dedupKey" = r."dedupKey" AND l."userId" IS NOT DISTINCT FROM r."userId"
            AND l.state IN ('open', 'acknowledged')
        )
      RETURNING n.*, 'reopened'::text AS outcome, r.id AS "inputId"
    ), inserted AS (
      INSERT INTO "Notification" AS n (id, "companyId", "scopeType", "workspaceId", "userId", level, kind, title, message, data,
        "dedupKey", state, count, "escalateAt")
      SELECT r.id, r."companyId", r."scopeType", r."workspaceId", r."userId", r.level, r.kind, r.title, r.message, r.data,
        r."dedupKey", CASE WHEN r.level = 'INFO' THEN NULL ELSE 'open'::"AlertState" END, r.hits,
        now() + make_interval(secs => r."escalateAfter")
      FROM routed r
      WHERE r.id NOT IN (SELECT "inputId" FROM reopened)
      ORDER BY r."companyId", r."dedupKey", r."userId"
      ON CONFLICT ("companyId", "dedupKey", "userId") WHERE state IN ('open', 'acknowledged') AND "dedupKey" IS NOT NULL
      DO UPDATE SET count = n.count + EXCLUDED.count, "lastSeenAt" = now(), version = n.version + 1
      RETURNING n.*, CASE WHEN n.xmax = 0 THEN 'created' ELSE 'repeated' END AS outcome, n.id AS "inputId"
    )
    SELECT * FROM inserted UNION ALL SELECT * FROM reopened`;
}
