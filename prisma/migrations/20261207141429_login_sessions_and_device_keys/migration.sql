-- Sessions that really end: one LoginSession row per login, whose id is the access tokens' `sid`
-- and the refresh tokens' family. A till's key, stored hashed.

-- CreateEnum
CREATE TYPE "SessionEndReason" AS ENUM ('LOGOUT', 'LOGOUT_ALL', 'REFRESH_REUSED', 'PASSWORD_CHANGED', 'USER_DISABLED', 'DEVICE_KEY_ROTATED', 'DEVICE_RETIRED');

-- CreateTable
CREATE TABLE "LoginSession" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "deviceId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "endReason" "SessionEndReason",

    CONSTRAINT "LoginSession_pkey" PRIMARY KEY ("id"),
    -- An ended session says why; a live one has no reason.
    CONSTRAINT "LoginSession_end_check" CHECK (("endedAt" IS NULL) = ("endReason" IS NULL))
);

-- Backfill. A family with a revoked token had ended: its tokens go (they would only be refused).
-- Every other family becomes a live session, so nobody is logged out by the deploy; its lifetime
-- runs from its first token, over the default SESSION_MAX_DAYS.
DELETE FROM "RefreshToken" WHERE "familyId" IN (SELECT "familyId" FROM "RefreshToken" WHERE "revokedAt" IS NOT NULL);
INSERT INTO "LoginSession" ("id", "userId", "deviceId", "createdAt", "expiresAt")
SELECT "familyId", (array_agg("userId"))[1], (array_agg("deviceId"))[1], min("createdAt"), min("createdAt") + interval '30 days'
FROM "RefreshToken"
GROUP BY "familyId";

-- RefreshToken: the session holds the user and the device, and says whether it ended.
ALTER TABLE "RefreshToken" DROP CONSTRAINT "RefreshToken_userId_fkey";
ALTER TABLE "RefreshToken" DROP COLUMN "userId", DROP COLUMN "deviceId", DROP COLUMN "revokedAt";
ALTER TABLE "RefreshToken" RENAME COLUMN "familyId" TO "sessionId";
ALTER INDEX "RefreshToken_familyId_idx" RENAME TO "RefreshToken_sessionId_idx";
-- No token outlives its session.
UPDATE "RefreshToken" t SET "expiresAt" = s."expiresAt" FROM "LoginSession" s WHERE s."id" = t."sessionId" AND t."expiresAt" > s."expiresAt";

-- AlterTable: existing tills have no key until an ADMIN issues one.
ALTER TABLE "PosDevice" ADD COLUMN "keyHash" TEXT;

-- CreateIndex
CREATE INDEX "LoginSession_userId_idx" ON "LoginSession"("userId");

-- CreateIndex
CREATE INDEX "LoginSession_deviceId_idx" ON "LoginSession"("deviceId");

-- CreateIndex
CREATE INDEX "LoginSession_expiresAt_idx" ON "LoginSession"("expiresAt");

-- AddForeignKey
ALTER TABLE "LoginSession" ADD CONSTRAINT "LoginSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoginSession" ADD CONSTRAINT "LoginSession_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "PosDevice"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RefreshToken" ADD CONSTRAINT "RefreshToken_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LoginSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;
