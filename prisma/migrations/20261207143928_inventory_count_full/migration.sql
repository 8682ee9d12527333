-- AlterTable
ALTER TABLE "InventoryCount" ADD COLUMN     "full" BOOLEAN NOT NULL DEFAULT false;

-- At most one open full count per store (the service checks it too, under a lock, to answer 409).
CREATE UNIQUE INDEX "InventoryCount_one_open_full_per_workspace" ON "InventoryCount"("workspaceId") WHERE "full" AND "status" = 'OPEN';
