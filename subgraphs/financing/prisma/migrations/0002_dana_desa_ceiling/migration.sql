-- CreateTable
CREATE TABLE "DanaDesaCeiling" (
    "villageCode" TEXT NOT NULL,
    "budgetYear" INTEGER NOT NULL,
    "ceiling" BIGINT NOT NULL,

    CONSTRAINT "DanaDesaCeiling_pkey" PRIMARY KEY ("villageCode","budgetYear")
);

