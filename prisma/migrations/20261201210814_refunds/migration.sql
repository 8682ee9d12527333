-- AlterTable
ALTER TABLE "DailyTotals" ADD COLUMN     "cardRefunded" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "cashRefunded" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "otherRefunded" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "refundAmount" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "refundsCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Refund" (
    "id" UUID NOT NULL,
    "paymentId" UUID NOT NULL,
    "amount" BIGINT NOT NULL,
    "businessDate" DATE NOT NULL,
    "refundedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Refund_paymentId_key" ON "Refund"("paymentId");

-- CreateIndex
CREATE INDEX "Refund_refundedById_idx" ON "Refund"("refundedById");

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_refundedById_fkey" FOREIGN KEY ("refundedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written CHECK constraints (Prisma cannot express them, and its differ ignores them).
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "DailyTotals" ADD CONSTRAINT "DailyTotals_refunds_consistent"
  CHECK ("refundsCount" >= 0 AND "refundAmount" = "cashRefunded" + "cardRefunded" + "otherRefunded");
