-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SolarPlantStatus" AS ENUM ('PLANNED', 'UNDER_CONSTRUCTION', 'COMMISSIONED', 'OPERATING');

-- CreateEnum
CREATE TYPE "ElectricitySupply" AS ENUM ('PLN_GRID', 'OFF_GRID', 'NONE');

-- CreateTable
CREATE TABLE "VillageElectrification" (
    "villageCode" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "electrified" BOOLEAN NOT NULL,
    "electrificationRatio" DOUBLE PRECISION NOT NULL,
    "supply" "ElectricitySupply" NOT NULL,
    "supplyHoursPerDay" INTEGER NOT NULL,
    "reliableSupply" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VillageElectrification_pkey" PRIMARY KEY ("villageCode")
);

-- CreateTable
CREATE TABLE "CooperativeSite" (
    "cooperativeId" TEXT NOT NULL,
    "villageCode" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CooperativeSite_pkey" PRIMARY KEY ("cooperativeId")
);

-- CreateTable
CREATE TABLE "SolarPlant" (
    "id" TEXT NOT NULL,
    "cooperativeId" TEXT NOT NULL,
    "villageCode" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "capacityKwp" DOUBLE PRECISION NOT NULL,
    "storageKwh" DOUBLE PRECISION NOT NULL,
    "status" "SolarPlantStatus" NOT NULL,
    "plannedOn" DATE NOT NULL,
    "commissionedOn" DATE,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SolarPlant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "VillageElectrification_districtCode_idx" ON "VillageElectrification"("districtCode");

-- CreateIndex
CREATE INDEX "VillageElectrification_regencyCode_idx" ON "VillageElectrification"("regencyCode");

-- CreateIndex
CREATE INDEX "VillageElectrification_provinceCode_idx" ON "VillageElectrification"("provinceCode");

-- CreateIndex
CREATE INDEX "CooperativeSite_villageCode_idx" ON "CooperativeSite"("villageCode");

-- CreateIndex
CREATE INDEX "CooperativeSite_districtCode_idx" ON "CooperativeSite"("districtCode");

-- CreateIndex
CREATE INDEX "CooperativeSite_regencyCode_idx" ON "CooperativeSite"("regencyCode");

-- CreateIndex
CREATE INDEX "CooperativeSite_provinceCode_idx" ON "CooperativeSite"("provinceCode");

-- CreateIndex
CREATE INDEX "SolarPlant_cooperativeId_idx" ON "SolarPlant"("cooperativeId");

-- CreateIndex
CREATE INDEX "SolarPlant_villageCode_idx" ON "SolarPlant"("villageCode");

-- CreateIndex
CREATE INDEX "SolarPlant_regencyCode_idx" ON "SolarPlant"("regencyCode");

-- CreateIndex
CREATE INDEX "SolarPlant_provinceCode_idx" ON "SolarPlant"("provinceCode");

-- AddForeignKey
ALTER TABLE "SolarPlant" ADD CONSTRAINT "SolarPlant_cooperativeId_fkey" FOREIGN KEY ("cooperativeId") REFERENCES "CooperativeSite"("cooperativeId") ON DELETE RESTRICT ON UPDATE CASCADE;

