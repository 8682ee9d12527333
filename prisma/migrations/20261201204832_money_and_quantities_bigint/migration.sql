-- Money and quantities to BIGINT: a busy store-day in small currency units passes 2^31. Each ALTER keeps the data
-- (INTEGER widens to BIGINT in place), and the CHECK constraints hold unchanged.

-- AlterTable
ALTER TABLE "Cart" ALTER COLUMN "total" SET DATA TYPE BIGINT,
ALTER COLUMN "paid" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "CartItem" ALTER COLUMN "unitPrice" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "CashSession" ALTER COLUMN "openingFloat" SET DATA TYPE BIGINT,
ALTER COLUMN "expectedCash" SET DATA TYPE BIGINT,
ALTER COLUMN "cashLimit" SET DATA TYPE BIGINT,
ALTER COLUMN "countedCash" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "DailyTotals" ALTER COLUMN "grossAmount" SET DATA TYPE BIGINT,
ALTER COLUMN "cashAmount" SET DATA TYPE BIGINT,
ALTER COLUMN "cardAmount" SET DATA TYPE BIGINT,
ALTER COLUMN "otherAmount" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "InventoryCountLine" ALTER COLUMN "expectedQuantity" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "InventoryMovement" ALTER COLUMN "quantity" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "Payment" ALTER COLUMN "amount" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "Product" ALTER COLUMN "price" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "Sale" ALTER COLUMN "total" SET DATA TYPE BIGINT,
ALTER COLUMN "paid" SET DATA TYPE BIGINT,
ALTER COLUMN "change" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "SaleLine" ALTER COLUMN "unitPrice" SET DATA TYPE BIGINT,
ALTER COLUMN "lineTotal" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "Stock" ALTER COLUMN "quantity" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "StockLot" ALTER COLUMN "quantity" SET DATA TYPE BIGINT;
