-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "PersonRole" AS ENUM ('BOARD', 'STAFF');

-- CreateEnum
CREATE TYPE "TrainingProvider" AS ENUM ('BPVP', 'BLK', 'KEMENKOP');

-- CreateTable
CREATE TABLE "Workforce" (
    "cooperativeId" TEXT NOT NULL,
    "villageCode" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "employees" INTEGER NOT NULL,
    "trainedBoardMembers" INTEGER NOT NULL,
    "certifiedStaff" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Workforce_pkey" PRIMARY KEY ("cooperativeId")
);

-- CreateTable
CREATE TABLE "Hire" (
    "id" SERIAL NOT NULL,
    "cooperativeId" TEXT NOT NULL,
    "hiredOn" DATE NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "Hire_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Training" (
    "id" SERIAL NOT NULL,
    "cooperativeId" TEXT NOT NULL,
    "role" "PersonRole" NOT NULL,
    "programme" TEXT NOT NULL,
    "provider" "TrainingProvider" NOT NULL,
    "trainedOn" DATE NOT NULL,
    "certified" BOOLEAN NOT NULL,

    CONSTRAINT "Training_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Workforce_villageCode_idx" ON "Workforce"("villageCode");

-- CreateIndex
CREATE INDEX "Workforce_districtCode_idx" ON "Workforce"("districtCode");

-- CreateIndex
CREATE INDEX "Workforce_regencyCode_idx" ON "Workforce"("regencyCode");

-- CreateIndex
CREATE INDEX "Workforce_provinceCode_idx" ON "Workforce"("provinceCode");

-- CreateIndex
CREATE INDEX "Hire_cooperativeId_hiredOn_idx" ON "Hire"("cooperativeId", "hiredOn");

-- CreateIndex
CREATE INDEX "Training_cooperativeId_idx" ON "Training"("cooperativeId");

