-- CreateTable
CREATE TABLE "TransferLot" (
    "movementId" UUID NOT NULL,
    "lotId" UUID NOT NULL,
    "quantity" BIGINT NOT NULL,

    CONSTRAINT "TransferLot_pkey" PRIMARY KEY ("movementId","lotId")
);

-- CreateIndex
CREATE INDEX "TransferLot_lotId_idx" ON "TransferLot"("lotId");

-- AddForeignKey
ALTER TABLE "TransferLot" ADD CONSTRAINT "TransferLot_movementId_fkey" FOREIGN KEY ("movementId") REFERENCES "InventoryMovement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TransferLot" ADD CONSTRAINT "TransferLot_lotId_fkey" FOREIGN KEY ("lotId") REFERENCES "StockLot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written CHECK constraint (Prisma cannot express it, and its differ ignores it).
ALTER TABLE "TransferLot" ADD CONSTRAINT "TransferLot_quantity_positive" CHECK ("quantity" > 0);
