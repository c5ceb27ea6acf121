-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "LoanScheme" AS ENUM ('HIMBARA_PMK49', 'LPDB');

-- CreateEnum
CREATE TYPE "LoanLender" AS ENUM ('BRI', 'BNI', 'MANDIRI', 'BSI', 'BTN', 'LPDB');

-- CreateEnum
CREATE TYPE "LoanStatus" AS ENUM ('APPLIED', 'APPROVED', 'DISBURSED', 'REPAYING', 'ARREARS', 'SETTLED', 'REJECTED');

-- CreateTable
CREATE TABLE "FinancingProfile" (
    "cooperativeId" TEXT NOT NULL,
    "villageCode" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "businessProposal" BOOLEAN NOT NULL,
    "villageHeadApproval" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FinancingProfile_pkey" PRIMARY KEY ("cooperativeId")
);

-- CreateTable
CREATE TABLE "Loan" (
    "id" TEXT NOT NULL,
    "cooperativeId" TEXT NOT NULL,
    "villageCode" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "scheme" "LoanScheme" NOT NULL,
    "lender" "LoanLender" NOT NULL,
    "plafond" BIGINT NOT NULL,
    "operatingPart" BIGINT NOT NULL,
    "contractRate" DOUBLE PRECISION NOT NULL,
    "effectiveRate" DOUBLE PRECISION NOT NULL,
    "tenorMonths" INTEGER NOT NULL,
    "graceMonths" INTEGER NOT NULL,
    "status" "LoanStatus" NOT NULL,
    "appliedOn" DATE NOT NULL,
    "approvedOn" DATE,
    "disbursedAmount" BIGINT NOT NULL DEFAULT 0,
    "outstanding" BIGINT NOT NULL DEFAULT 0,
    "arrearsAmount" BIGINT NOT NULL DEFAULT 0,
    "daysInArrears" INTEGER NOT NULL DEFAULT 0,
    "interceptedAmount" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Loan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoanDisbursement" (
    "id" SERIAL NOT NULL,
    "loanId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "amount" BIGINT NOT NULL,

    CONSTRAINT "LoanDisbursement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoanRepayment" (
    "id" SERIAL NOT NULL,
    "loanId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "amount" BIGINT NOT NULL,
    "principal" BIGINT NOT NULL,
    "interest" BIGINT NOT NULL,

    CONSTRAINT "LoanRepayment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DanaDesaIntercept" (
    "id" SERIAL NOT NULL,
    "loanId" TEXT NOT NULL,
    "cooperativeId" TEXT NOT NULL,
    "villageCode" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "amount" BIGINT NOT NULL,
    "budgetYear" INTEGER NOT NULL,
    "danaDesaCeiling" BIGINT NOT NULL,
    "capAmount" BIGINT NOT NULL,

    CONSTRAINT "DanaDesaIntercept_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FinancingProfile_villageCode_idx" ON "FinancingProfile"("villageCode");

-- CreateIndex
CREATE INDEX "FinancingProfile_districtCode_idx" ON "FinancingProfile"("districtCode");

-- CreateIndex
CREATE INDEX "FinancingProfile_regencyCode_idx" ON "FinancingProfile"("regencyCode");

-- CreateIndex
CREATE INDEX "FinancingProfile_provinceCode_idx" ON "FinancingProfile"("provinceCode");

-- CreateIndex
CREATE INDEX "Loan_cooperativeId_idx" ON "Loan"("cooperativeId");

-- CreateIndex
CREATE INDEX "Loan_villageCode_idx" ON "Loan"("villageCode");

-- CreateIndex
CREATE INDEX "Loan_districtCode_idx" ON "Loan"("districtCode");

-- CreateIndex
CREATE INDEX "Loan_regencyCode_idx" ON "Loan"("regencyCode");

-- CreateIndex
CREATE INDEX "Loan_provinceCode_idx" ON "Loan"("provinceCode");

-- CreateIndex
CREATE INDEX "LoanDisbursement_loanId_idx" ON "LoanDisbursement"("loanId");

-- CreateIndex
CREATE INDEX "LoanRepayment_loanId_idx" ON "LoanRepayment"("loanId");

-- CreateIndex
CREATE INDEX "DanaDesaIntercept_loanId_idx" ON "DanaDesaIntercept"("loanId");

-- CreateIndex
CREATE INDEX "DanaDesaIntercept_cooperativeId_idx" ON "DanaDesaIntercept"("cooperativeId");

-- CreateIndex
CREATE INDEX "DanaDesaIntercept_villageCode_idx" ON "DanaDesaIntercept"("villageCode");

-- AddForeignKey
ALTER TABLE "LoanDisbursement" ADD CONSTRAINT "LoanDisbursement_loanId_fkey" FOREIGN KEY ("loanId") REFERENCES "Loan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoanRepayment" ADD CONSTRAINT "LoanRepayment_loanId_fkey" FOREIGN KEY ("loanId") REFERENCES "Loan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DanaDesaIntercept" ADD CONSTRAINT "DanaDesaIntercept_loanId_fkey" FOREIGN KEY ("loanId") REFERENCES "Loan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

