-- AlterTable: who checked a sale out. Until now the checkout's caller was recorded as the cashier.
ALTER TABLE "Sale" ADD COLUMN "checkedOutById" UUID;
UPDATE "Sale" SET "checkedOutById" = "cashierId";
ALTER TABLE "Sale" ALTER COLUMN "checkedOutById" SET NOT NULL;

-- CreateIndex
CREATE INDEX "Sale_checkedOutById_idx" ON "Sale"("checkedOutById");

-- AddForeignKey
ALTER TABLE "Sale" ADD CONSTRAINT "Sale_checkedOutById_fkey" FOREIGN KEY ("checkedOutById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
