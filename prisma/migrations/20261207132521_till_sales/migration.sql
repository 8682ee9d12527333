-- CreateEnum
CREATE TYPE "SaleSource" AS ENUM ('cart', 'till');

-- AlterEnum
ALTER TYPE "MovementType" ADD VALUE 'RETURN';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NotificationKind" ADD VALUE 'NEGATIVE_STOCK';
ALTER TYPE "NotificationKind" ADD VALUE 'LATE_SALE';

-- AlterTable
ALTER TABLE "CashSession" ADD COLUMN     "lateCashAmount" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "lateSalesCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Company" ADD COLUMN     "catalogVersion" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "InventoryMovement" ADD COLUMN     "returnId" UUID;

-- AlterTable
ALTER TABLE "Payment" ALTER COLUMN "cartId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "catalogVersion" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "removedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Sale" ADD COLUMN     "cashSessionId" UUID,
ADD COLUMN     "contentHash" TEXT,
ADD COLUMN     "occurredAt" TIMESTAMP(3),
ADD COLUMN     "sequence" INTEGER,
ADD COLUMN     "source" "SaleSource" NOT NULL DEFAULT 'cart',
ADD COLUMN     "warnings" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
ALTER COLUMN "cartId" DROP NOT NULL;

-- A cart's sale happened when it was checked out.
UPDATE "Sale" SET "occurredAt" = "completedAt";
ALTER TABLE "Sale" ALTER COLUMN "occurredAt" SET NOT NULL;

-- AlterTable
ALTER TABLE "SaleLine" ADD COLUMN     "returnedQuantity" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SaleReturn" (
    "id" UUID NOT NULL,
    "saleId" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "deviceId" UUID,
    "userId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "lines" JSONB NOT NULL,
    "refunds" JSONB NOT NULL,
    "refundAmount" BIGINT NOT NULL,
    "businessDate" DATE NOT NULL,
    "contentHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SaleReturn_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SaleReturn_saleId_idx" ON "SaleReturn"("saleId");

-- CreateIndex
CREATE INDEX "SaleReturn_workspaceId_createdAt_idx" ON "SaleReturn"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "InventoryMovement_returnId_idx" ON "InventoryMovement"("returnId");

-- CreateIndex
CREATE INDEX "Product_companyId_catalogVersion_idx" ON "Product"("companyId", "catalogVersion");

-- CreateIndex
CREATE INDEX "Sale_deviceId_occurredAt_idx" ON "Sale"("deviceId", "occurredAt");

-- CreateIndex
CREATE INDEX "Sale_cashSessionId_idx" ON "Sale"("cashSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Sale_deviceId_sequence_key" ON "Sale"("deviceId", "sequence");

-- AddForeignKey
ALTER TABLE "InventoryMovement" ADD CONSTRAINT "InventoryMovement_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "SaleReturn"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sale" ADD CONSTRAINT "Sale_cashSessionId_fkey" FOREIGN KEY ("cashSessionId") REFERENCES "CashSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SaleReturn" ADD CONSTRAINT "SaleReturn_saleId_fkey" FOREIGN KEY ("saleId") REFERENCES "Sale"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SaleReturn" ADD CONSTRAINT "SaleReturn_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SaleReturn" ADD CONSTRAINT "SaleReturn_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "PosDevice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SaleReturn" ADD CONSTRAINT "SaleReturn_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written CHECK constraints (Prisma cannot express them, and its differ ignores them).
-- A till sale is never refused for stock (the customer has paid and left): stock may go below
-- zero, and only there. Every other decrease stays conditional on what is left.
ALTER TABLE "Stock" DROP CONSTRAINT "Stock_quantity_non_negative";
-- So a count may start from stock below zero; what is counted is never negative.
ALTER TABLE "InventoryCountLine" DROP CONSTRAINT "InventoryCountLine_quantities_non_negative";
ALTER TABLE "InventoryCountLine" ADD CONSTRAINT "InventoryCountLine_counted_non_negative"
  CHECK ("countedQuantity" IS NULL OR "countedQuantity" >= 0);
-- A line is never returned beyond what was sold, however many returns race.
ALTER TABLE "SaleLine" ADD CONSTRAINT "SaleLine_returned_within_sold"
  CHECK ("returnedQuantity" >= 0 AND "returnedQuantity" <= "quantity");
-- A payment belongs to a cart, a sale, or both.
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_has_owner" CHECK ("cartId" IS NOT NULL OR "saleId" IS NOT NULL);
-- A cart's sale names its cart; a till's sale has none, and keeps its content's hash.
ALTER TABLE "Sale" ADD CONSTRAINT "Sale_source_shape"
  CHECK (("source" = 'cart') = ("cartId" IS NOT NULL) AND ("source" = 'cart' OR "contentHash" IS NOT NULL));
ALTER TABLE "Sale" ADD CONSTRAINT "Sale_sequence_positive" CHECK ("sequence" IS NULL OR "sequence" > 0);
ALTER TABLE "CashSession" ADD CONSTRAINT "CashSession_late_non_negative" CHECK ("lateSalesCount" >= 0 AND "lateCashAmount" >= 0);
ALTER TABLE "SaleReturn" ADD CONSTRAINT "SaleReturn_refund_non_negative" CHECK ("refundAmount" >= 0);
-- A return's movements name its sale too.
ALTER TABLE "InventoryMovement" ADD CONSTRAINT "InventoryMovement_return_has_sale" CHECK ("returnId" IS NULL OR "saleId" IS NOT NULL);
