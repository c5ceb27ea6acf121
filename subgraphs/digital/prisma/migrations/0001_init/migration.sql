-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SignalLevel" AS ENUM ('NONE', 'G2', 'G3', 'G4', 'G5');

-- CreateTable
CREATE TABLE "ConnectivitySurvey" (
    "villageCode" TEXT NOT NULL,
    "surveyedOn" DATE NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "signal" "SignalLevel" NOT NULL,
    "fiber" BOOLEAN NOT NULL,
    "downloadMbps" DOUBLE PRECISION,

    CONSTRAINT "ConnectivitySurvey_pkey" PRIMARY KEY ("villageCode","surveyedOn")
);

-- CreateTable
CREATE TABLE "PlatformOnboarding" (
    "cooperativeId" TEXT NOT NULL,
    "villageCode" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "simkopdesOnboarded" BOOLEAN NOT NULL,
    "digitalPaymentsEnabled" BOOLEAN NOT NULL,
    "onboardedOn" DATE,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlatformOnboarding_pkey" PRIMARY KEY ("cooperativeId")
);

-- CreateIndex
CREATE INDEX "ConnectivitySurvey_districtCode_idx" ON "ConnectivitySurvey"("districtCode");

-- CreateIndex
CREATE INDEX "ConnectivitySurvey_regencyCode_idx" ON "ConnectivitySurvey"("regencyCode");

-- CreateIndex
CREATE INDEX "ConnectivitySurvey_provinceCode_idx" ON "ConnectivitySurvey"("provinceCode");

-- CreateIndex
CREATE INDEX "PlatformOnboarding_villageCode_idx" ON "PlatformOnboarding"("villageCode");

-- CreateIndex
CREATE INDEX "PlatformOnboarding_districtCode_idx" ON "PlatformOnboarding"("districtCode");

-- CreateIndex
CREATE INDEX "PlatformOnboarding_regencyCode_idx" ON "PlatformOnboarding"("regencyCode");

-- CreateIndex
CREATE INDEX "PlatformOnboarding_provinceCode_idx" ON "PlatformOnboarding"("provinceCode");

