-- Revocation: a user can be disabled, and every token carries the user's access version.
ALTER TABLE "User" ADD COLUMN "disabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "accessVersion" INTEGER NOT NULL DEFAULT 1;

-- A retired device's tokens are refused.
ALTER TABLE "PosDevice" ADD COLUMN "retired" BOOLEAN NOT NULL DEFAULT false;

-- Device names are unique per store, not across the whole database.
DROP INDEX "PosDevice_name_key";
CREATE UNIQUE INDEX "PosDevice_workspaceId_name_key" ON "PosDevice"("workspaceId", "name");
