import type { User } from '../api.ts';
import './desk.css';
import { linkTo } from '../router.ts';
import { CamerasPage } from './cameras-page.tsx';
import { useDeskText } from './desk-text.ts';
import { FlagsPage } from './flags-page.tsx';
import { JobsPage } from './jobs-page.tsx';
import { SettingsPage } from './settings-page.tsx';
import { SpotChecksPage } from './spot-checks-page.tsx';
import { TipsPage } from './tips-page.tsx';
import { UsersPage } from './users-page.tsx';

const OFFICE = ['admin', 'province_monitor', 'city_reviewer', 'county_officer', 'supervisor'];

/** The desk's tabs, with who sees each (what the server lets them read or do). */
export const DESK_TABS: { id: string; path: string; roles: string[] }[] = [
  { id: 'tips', path: 'tips', roles: OFFICE },
  { id: 'cameras', path: 'cameras', roles: OFFICE },
  { id: 'flags', path: 'flags', roles: OFFICE },
  { id: 'spotChecks', path: 'spot-checks', roles: OFFICE },
  {
    id: 'jobs',
    path: 'jobs',
    roles: ['admin', 'province_monitor', 'city_reviewer', 'county_officer'],
  },
  { id: 'users', path: 'users', roles: ['admin'] },
  { id: 'settings', path: 'settings', roles: OFFICE },
];

/** Whether a role has any desk tab (the nav shows 业务管理 only then). */
export const hasDesk = (role: string) => DESK_TABS.some((t) => t.roles.includes(role));

/** 业务管理: the functions that are lists rather than the map — one tab each, by role. */
export function DeskPage({ user, tab }: { user: User; tab?: string }) {
  const t = useDeskText();
  const mine = DESK_TABS.filter((x) => x.roles.includes(user.role));
  const current = mine.find((x) => x.path === tab) ?? mine[0];
  if (!current) return null;
  return (
    <div className="page desk-page">
      <div className="tabs">
        {mine.map((x) => (
          <a
            key={x.id}
            className={x === current ? 'active' : ''}
            {...linkTo(`/desk/${x.path}`)}
            data-tab={x.path}
          >
            {t(`tab_${x.id}`)}
          </a>
        ))}
      </div>
      {current.id === 'tips' && <TipsPage user={user} />}
      {current.id === 'cameras' && <CamerasPage user={user} />}
      {current.id === 'flags' && <FlagsPage />}
      {current.id === 'spotChecks' && <SpotChecksPage user={user} />}
      {current.id === 'jobs' && <JobsPage />}
      {current.id === 'users' && <UsersPage user={user} />}
      {current.id === 'settings' && <SettingsPage user={user} />}
    </div>
  );
}
