-- CreateTable
CREATE TABLE "SweepWatermark" (
    "rule" TEXT NOT NULL,
    "sweptAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SweepWatermark_pkey" PRIMARY KEY ("rule")
);

-- CreateIndex
CREATE INDEX "StockLot_createdAt_idx" ON "StockLot"("createdAt");
