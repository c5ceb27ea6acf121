/** Employees from which a cooperative counts as meeting the programme's 20–25 per cooperative target. */
export const TARGET_EMPLOYEES = 20;
