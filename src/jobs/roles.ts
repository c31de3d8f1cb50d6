import type { Role } from '../store/users.ts';

/**
 * Who runs the monitoring work (detection, 套合, areas): the monitoring and county roles and
 * administrators. Field roles (chiefs), supervisors and the public submit no jobs: a job reads
 * and writes a whole jurisdiction's 图斑, and detection opens imagery.
 */
export const MONITORING_ROLES: readonly Role[] = [
  'province_monitor',
  'city_reviewer',
  'county_officer',
  'admin',
];
