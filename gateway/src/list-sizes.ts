/**
 * The cost limit's expected list lengths where a field takes no `first`, by `Type.field`: region
 * counts rounded up from the real ones, one cooperative per village, and the synthetic records per
 * cooperative. Lists not named here count DEFAULT_LIST_SIZE. Kept apart from the cost walk
 * (cost.ts) so the sizes can come from the subgraphs' own schemas (@listSize) instead.
 */
export const LIST_SIZE_ESTIMATES: Record<string, number> = {
  'Query.provinces': 38,
  'Province.regencies': 20,
  'Regency.districts': 30,
  'District.villages': 30,
  'Regency.villages': 400,
  'Village.cooperatives': 1,
  'Cooperative.board': 9,
  'Cooperative.businessUnits': 5,
  'CooperativeFinancing.loans': 2,
  'CooperativeFinancing.intercepts': 2,
  'Loan.disbursements': 3,
  'Loan.repayments': 12,
  'Loan.intercepts': 2,
  'CooperativeEnergy.solarPlants': 2,
  'CooperativeLabour.trainings': 5,
  'CooperativeLabour.hireRecords': 5,
  'VillageDevelopment.history': 5,
};
export const DEFAULT_LIST_SIZE = 10;
