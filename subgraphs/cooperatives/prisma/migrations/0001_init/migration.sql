-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CooperativeKind" AS ENUM ('KDMP', 'KKMP');

-- CreateEnum
CREATE TYPE "FormationPath" AS ENUM ('NEW', 'REVITALIZED', 'DEVELOPED');

-- CreateEnum
CREATE TYPE "LifecycleStage" AS ENUM ('MUSDESUS_HELD', 'NOTARY_DEED', 'AHU_DECREE', 'NIK_KOPERASI', 'NIB_ISSUED', 'NPWP_ISSUED', 'BANK_ACCOUNT', 'SIMKOPDES', 'OPERATING');

-- CreateEnum
CREATE TYPE "BusinessUnitType" AS ENUM ('OFFICE', 'SEMBAKO_OUTLET', 'SAVINGS_AND_LOAN', 'VILLAGE_CLINIC', 'VILLAGE_PHARMACY', 'COLD_STORAGE', 'LOGISTICS', 'FERTILISER', 'LPG', 'FREE_MEALS_SUPPLY');

-- CreateEnum
CREATE TYPE "UnitStatus" AS ENUM ('PLANNED', 'UNDER_CONSTRUCTION', 'COMPLETED', 'OPERATING');

-- CreateEnum
CREATE TYPE "BoardRole" AS ENUM ('CHAIR', 'VICE_CHAIR_BUSINESS', 'VICE_CHAIR_MEMBERSHIP', 'SECRETARY', 'TREASURER', 'SUPERVISOR_CHAIR', 'SUPERVISOR');

-- CreateTable
CREATE TABLE "Cooperative" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "CooperativeKind" NOT NULL,
    "villageCode" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "formation" "FormationPath" NOT NULL,
    "stage" "LifecycleStage" NOT NULL,
    "musdesusDate" DATE NOT NULL,
    "ahuDecreeNumber" TEXT,
    "ahuDecreeDate" DATE,
    "nikKoperasi" TEXT,
    "nib" TEXT,
    "npwp" TEXT,
    "members" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "board" JSONB NOT NULL DEFAULT '[]',
    "units" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "Cooperative_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Cooperative_villageCode_idx" ON "Cooperative"("villageCode");

-- CreateIndex
CREATE INDEX "Cooperative_districtCode_idx" ON "Cooperative"("districtCode");

-- CreateIndex
CREATE INDEX "Cooperative_regencyCode_idx" ON "Cooperative"("regencyCode");

-- CreateIndex
CREATE INDEX "Cooperative_provinceCode_idx" ON "Cooperative"("provinceCode");


-- Unit filters ("runs cold storage that is completed") use JSONB containment.
CREATE INDEX "Cooperative_units_gin_idx" ON "Cooperative" USING GIN ("units" jsonb_path_ops);
