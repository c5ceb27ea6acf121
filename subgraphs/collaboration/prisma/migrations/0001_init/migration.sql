-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "AgencyKind" AS ENUM ('MINISTRY', 'AGENCY');

-- CreateEnum
CREATE TYPE "AgencyParticipation" AS ENUM ('INPRES_9_2025', 'AGREEMENT', 'CONVENER');

-- CreateEnum
CREATE TYPE "Indicator" AS ENUM ('REGISTRY_LEGAL_ENTITIES', 'REGISTRY_LOAN_READY', 'REGISTRY_OPERATING', 'REGISTRY_MEMBERS', 'FINANCING_COOPERATIVES_FINANCED', 'FINANCING_AMOUNT_DISBURSED', 'ENERGY_KWP_COMMISSIONED', 'ENERGY_KWP_OPERATING', 'DIGITAL_COOPERATIVES_ONBOARDED', 'DIGITAL_FIBER_VILLAGES', 'DIGITAL_PAYMENT_COOPERATIVES', 'LABOUR_EMPLOYEES', 'LABOUR_TRAINED_BOARD_MEMBERS', 'LABOUR_CERTIFIED_STAFF', 'DEVELOPMENT_MANDIRI_VILLAGES');

-- CreateEnum
CREATE TYPE "DevelopmentStatus" AS ENUM ('MANDIRI', 'MAJU', 'BERKEMBANG', 'TERTINGGAL', 'SANGAT_TERTINGGAL');

-- CreateEnum
CREATE TYPE "PilotModel" AS ENUM ('AGRIBUSINESS', 'FISHERIES', 'PLANTATION', 'LIVESTOCK', 'TRADE_AND_LOGISTICS', 'TOURISM_AND_CRAFTS', 'URBAN_SERVICES');

-- CreateTable
CREATE TABLE "Agency" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "shortName" TEXT NOT NULL,
    "kind" "AgencyKind" NOT NULL,
    "taskForceMember" BOOLEAN NOT NULL,
    "participation" "AgencyParticipation" NOT NULL,
    "dataSubgraph" TEXT,

    CONSTRAINT "Agency_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Commitment" (
    "id" TEXT NOT NULL,
    "agencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "indicator" "Indicator" NOT NULL,
    "target" DECIMAL(24,2) NOT NULL,
    "baseline" DECIMAL(24,2) NOT NULL DEFAULT 0,
    "startDate" DATE NOT NULL,
    "dueDate" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Commitment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommitmentRevision" (
    "id" SERIAL NOT NULL,
    "commitmentId" TEXT NOT NULL,
    "previousTarget" DECIMAL(24,2) NOT NULL,
    "target" DECIMAL(24,2) NOT NULL,
    "reason" TEXT NOT NULL,
    "revisedBy" TEXT NOT NULL,
    "revisedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommitmentRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PilotSite" (
    "id" TEXT NOT NULL,
    "cooperativeId" TEXT NOT NULL,
    "villageCode" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "model" "PilotModel" NOT NULL,
    "developmentStatus" "DevelopmentStatus",
    "area3T" BOOLEAN NOT NULL,
    "outermostSmallIsland" BOOLEAN NOT NULL,
    "selectedOn" DATE NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PilotSite_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Commitment_provinceCode_idx" ON "Commitment"("provinceCode");

-- CreateIndex
CREATE INDEX "Commitment_agencyCode_idx" ON "Commitment"("agencyCode");

-- CreateIndex
CREATE INDEX "Commitment_dueDate_idx" ON "Commitment"("dueDate");

-- CreateIndex
CREATE INDEX "CommitmentRevision_commitmentId_idx" ON "CommitmentRevision"("commitmentId");

-- CreateIndex
CREATE UNIQUE INDEX "PilotSite_cooperativeId_key" ON "PilotSite"("cooperativeId");

-- CreateIndex
CREATE INDEX "PilotSite_villageCode_idx" ON "PilotSite"("villageCode");

-- CreateIndex
CREATE INDEX "PilotSite_regencyCode_idx" ON "PilotSite"("regencyCode");

-- CreateIndex
CREATE INDEX "PilotSite_provinceCode_idx" ON "PilotSite"("provinceCode");

-- AddForeignKey
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_agencyCode_fkey" FOREIGN KEY ("agencyCode") REFERENCES "Agency"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommitmentRevision" ADD CONSTRAINT "CommitmentRevision_commitmentId_fkey" FOREIGN KEY ("commitmentId") REFERENCES "Commitment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

