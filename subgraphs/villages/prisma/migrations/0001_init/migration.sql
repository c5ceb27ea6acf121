-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "DevelopmentStatus" AS ENUM ('MANDIRI', 'MAJU', 'BERKEMBANG', 'TERTINGGAL', 'SANGAT_TERTINGGAL');

-- CreateEnum
CREATE TYPE "VillageKind" AS ENUM ('DESA', 'KELURAHAN', 'DESA_ADAT');

-- CreateTable
CREATE TABLE "VillageYear" (
    "villageCode" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "kind" "VillageKind" NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "status" "DevelopmentStatus",
    "score" DOUBLE PRECISION,
    "danaDesaCeiling" BIGINT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VillageYear_pkey" PRIMARY KEY ("villageCode","year")
);

-- CreateIndex
CREATE INDEX "VillageYear_provinceCode_year_status_idx" ON "VillageYear"("provinceCode", "year", "status");

-- CreateIndex
CREATE INDEX "VillageYear_regencyCode_year_status_idx" ON "VillageYear"("regencyCode", "year", "status");

-- CreateIndex
CREATE INDEX "VillageYear_districtCode_year_status_idx" ON "VillageYear"("districtCode", "year", "status");

