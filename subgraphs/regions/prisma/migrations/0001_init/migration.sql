-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "VillageKind" AS ENUM ('DESA', 'KELURAHAN', 'DESA_ADAT');

-- CreateTable
CREATE TABLE "Province" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Province_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Regency" (
    "code" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Regency_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "District" (
    "code" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "District_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Village" (
    "code" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "VillageKind" NOT NULL,

    CONSTRAINT "Village_pkey" PRIMARY KEY ("code")
);

-- CreateIndex
CREATE INDEX "Regency_provinceCode_idx" ON "Regency"("provinceCode");

-- CreateIndex
CREATE INDEX "District_regencyCode_idx" ON "District"("regencyCode");

-- CreateIndex
CREATE INDEX "Village_districtCode_idx" ON "Village"("districtCode");

-- CreateIndex
CREATE INDEX "Village_regencyCode_idx" ON "Village"("regencyCode");

-- CreateIndex
CREATE INDEX "Village_provinceCode_idx" ON "Village"("provinceCode");

