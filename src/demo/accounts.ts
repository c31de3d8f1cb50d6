import type { Role } from '../cases/role-ids.ts';
import type { DemoRegion } from './types.ts';

/** The password of every demo account (README, "Demo accounts"). Demo data only. */
export const DEMO_PASSWORD = 'gengbao-demo';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  /** A code, or a function picking one from the region (the first township of 泽州县 …). */
  jurisdiction: string | ((r: DemoRegion) => string);
}

/** The village of a county with the most demo 图斑 (ties: the smallest code): its chief has work to show. */
export const busiestVillage = (county: string) => (r: DemoRegion) => {
  const counts = new Map<string, number>();
  for (const p of r.polygons)
    if (p.jurisdictionCode.startsWith(county))
      counts.set(p.jurisdictionCode, (counts.get(p.jurisdictionCode) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
};

/** One account per role and level; the README lists them. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', jurisdiction: '140000' },
  {
    username: 'sx.monitor',
    displayName: '山西省监测员',
    role: 'province_monitor',
    jurisdiction: '140000',
  },
  {
    username: 'sx.supervisor',
    displayName: '山西省督察员',
    role: 'supervisor',
    jurisdiction: '140000',
  },
  {
    username: 'jc.reviewer',
    displayName: '晋城市审核员',
    role: 'city_reviewer',
    jurisdiction: '140500',
  },
  {
    username: 'zz.officer',
    displayName: '泽州县执法员',
    role: 'county_officer',
    jurisdiction: '140525',
  },
  {
    username: 'gp.officer',
    displayName: '高平市执法员',
    role: 'county_officer',
    jurisdiction: '140581',
  },
  {
    username: 'cq.officer',
    displayName: '城区执法员',
    role: 'county_officer',
    jurisdiction: '140502',
  },
  {
    username: 'qs.officer',
    displayName: '沁水县执法员',
    role: 'county_officer',
    jurisdiction: '140521',
  },
  {
    username: 'yc.officer',
    displayName: '阳城县执法员',
    role: 'county_officer',
    jurisdiction: '140522',
  },
  {
    username: 'lc.officer',
    displayName: '陵川县执法员',
    role: 'county_officer',
    jurisdiction: '140524',
  },
  {
    username: 'zz.township',
    displayName: '乡镇田长',
    role: 'township_chief',
    jurisdiction: (r) => busiestVillage('140525')(r).slice(0, 9),
  },
  {
    username: 'zz.village',
    displayName: '村级田长',
    role: 'village_chief',
    jurisdiction: busiestVillage('140525'),
  },
];
