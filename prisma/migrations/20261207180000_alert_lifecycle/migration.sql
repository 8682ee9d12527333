-- Alerts with a life (issue 22): notifications of level ALERT and WARNING are open, acknowledged or
-- resolved; INFO keeps state NULL. A condition (dedupKey) has at most one live alert per recipient.

-- CreateEnum
CREATE TYPE "AlertState" AS ENUM ('open', 'acknowledged', 'resolved');

-- CreateEnum
CREATE TYPE "AlertResolution" AS ENUM ('auto', 'manual');

-- The old key was unique for ever; a condition may now be raised again once its alert is resolved.
DROP INDEX "Notification_companyId_dedupeKey_key";
ALTER TABLE "Notification" RENAME COLUMN "dedupeKey" TO "dedupKey";

-- A user's alert may name the store it is about (a drawer's cash limit), so its store's managers can act on it.
ALTER TABLE "Notification" DROP CONSTRAINT "Notification_scope_check";
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_scope_check" CHECK (
    ("scopeType" = 'COMPANY' AND "workspaceId" IS NULL AND "userId" IS NULL)
    OR ("scopeType" = 'WORKSPACE' AND "workspaceId" IS NOT NULL AND "userId" IS NULL)
    OR ("scopeType" = 'USER' AND "userId" IS NOT NULL)
);

-- AlterTable
ALTER TABLE "Notification"
ADD COLUMN     "acknowledgedAt" TIMESTAMP(3),
ADD COLUMN     "acknowledgedById" UUID,
ADD COLUMN     "count" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "escalateAt" TIMESTAMP(3),
ADD COLUMN     "escalated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "note" TEXT,
ADD COLUMN     "reopenCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "resolution" "AlertResolution",
ADD COLUMN     "resolvedAt" TIMESTAMP(3),
ADD COLUMN     "resolvedById" UUID,
ADD COLUMN     "state" "AlertState",
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- Alerts raised before: open, seen when they were made, and never escalated (nobody was asked to act on them).
UPDATE "Notification" SET "firstSeenAt" = "createdAt", "lastSeenAt" = "createdAt",
  "state" = CASE WHEN "level" = 'INFO' THEN NULL ELSE 'open'::"AlertState" END;

-- CreateIndex
CREATE INDEX "Notification_companyId_dedupKey_idx" ON "Notification"("companyId", "dedupKey");

-- CreateIndex
CREATE INDEX "Notification_companyId_state_level_createdAt_id_idx" ON "Notification"("companyId", "state", "level", "createdAt", "id");

-- One live alert per condition and recipient: raising it again is INSERT ... ON CONFLICT DO UPDATE on this.
CREATE UNIQUE INDEX "Notification_one_live_alert_per_condition" ON "Notification"("companyId", "dedupKey", "userId") NULLS NOT DISTINCT
  WHERE "state" IN ('open', 'acknowledged') AND "dedupKey" IS NOT NULL;

-- The escalation sweep's timers.
CREATE INDEX "Notification_escalation_due" ON "Notification"("escalateAt") WHERE "state" = 'open' AND NOT "escalated";

