import { useEffect, useMemo, useState } from 'react';
import { api, type User } from './api.ts';
import { I18nContext, makeI18n, useI18n, type Lang } from './i18n.ts';
import { DashboardPage } from './pages/dashboard.tsx';
import { DeskPage, hasDesk } from './pages/desk-page.tsx';
import { useDeskText } from './pages/desk-text.ts';
import { PublicPage } from './pages/public-page.tsx';
import { LeadPage } from './pages/lead-page.tsx';
import { OversightPage } from './pages/oversight-page.tsx';
import { useOversightText } from './pages/oversight-text.ts';
import { LoginPage } from './pages/login.tsx';
import { MapPage } from './pages/map-page.tsx';
import { PolygonPage } from './pages/polygon-page.tsx';
import { QueuesPage } from './pages/queues-page.tsx';
import { ReportsPage } from './pages/reports-page.tsx';
import { LEARNING_ROLES, LearningPage } from './pages/learning-page.tsx';
import { linkTo, navigate, useRoute } from './router.ts';
import { InboxBell } from './inbox/inbox-bell.tsx';
import { InboxPage } from './inbox/inbox-page.tsx';
import { PAPER_EDITORS, PAPER_NAV, PaperSettingsPage } from './documents/paper-settings.tsx';
import './phone.css';

/** The saved language, Chinese unless the user chose English. */
function savedLang(): Lang {
  return localStorage.getItem('gengbao.lang') === 'en' ? 'en' : 'zh';
}

/** The office app: login, then the one map, work queues, polygon pages and dashboards. */
export function App() {
  const [lang, setLangState] = useState<Lang>(savedLang);
  const i18n = useMemo(
    () =>
      makeI18n(lang, (l) => {
        localStorage.setItem('gengbao.lang', l);
        setLangState(l);
      }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = i18n.t('appName') + (lang === 'zh' ? ' · 耕地保护' : ' · farmland protection');
  }, [lang, i18n]);

  const appRoute = useRoute();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    api.get<{ user: User }>('/api/me').then(
      (r) => setUser(r.user),
      () => setUser(null),
    );
    const onUnauth = () => setUser(null);
    window.addEventListener('gengbao:unauthenticated', onUnauth);
    return () => window.removeEventListener('gengbao:unauthenticated', onUnauth);
  }, []);

  return (
    <I18nContext.Provider value={i18n}>
      {/* 执法公示 is public: shown with or without a login. */}
      {appRoute.path.startsWith('/public') ? (
        <PublicPage loggedIn={!!user} />
      ) : user === undefined ? (
        <div className="splash">{i18n.t('loading')}</div>
      ) : user === null ? (
        <LoginPage onLogin={setUser} />
      ) : (
        <Shell user={user} onLogout={() => setUser(null)} />
      )}
    </I18nContext.Provider>
  );
}

/** Who hands over leads from above (the server's finders of those sources). */
const LEAD_ROLES: string[] = ['supervisor', 'province_monitor', 'city_reviewer'];

function Shell({ user, onLogout }: { user: User; onLogout: () => void }) {
  const { t, lang, setLang } = useI18n();
  const ot = useOversightText();
  const dt = useDeskText();
  const route = useRoute();
  const section = route.path.split('/')[1] ?? '';
  const logout = async () => {
    await api.post('/api/auth/logout').catch(() => undefined);
    navigate('/', true);
    onLogout();
  };
  let page;
  const polygonMatch = /^\/polygons\/(\d+)$/.exec(route.path);
  if (polygonMatch) page = <PolygonPage id={Number(polygonMatch[1])} />;
  else if (section === 'queues')
    page = <QueuesPage user={user} query={route.query} queue={route.path.split('/')[2]} />;
  else if (section === 'dashboard') page = <DashboardPage user={user} />;
  else if (section === 'reports') page = <ReportsPage user={user} />;
  else if (section === 'oversight') page = <OversightPage tab={route.path.split('/')[2]} />;
  else if (section === 'leads') page = <LeadPage user={user} />;
  else if (section === 'inbox') page = <InboxPage user={user} />;
  else if (section === 'paper') page = <PaperSettingsPage user={user} />;
  else if (section === 'desk') page = <DeskPage user={user} tab={route.path.split('/')[2]} />;
  else if (section === 'learning' && LEARNING_ROLES.includes(user.role)) page = <LearningPage />;
  else page = <MapPage user={user} query={route.query} />;
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">
          {t('appName')} <small>{t('tagline')}</small>
        </span>
        <nav>
          <a
            className={section === '' || section === 'map' ? 'active' : ''}
            {...linkTo('/')}
            data-nav="map"
          >
            {t('navMap')}
          </a>
          <a
            className={section === 'queues' ? 'active' : ''}
            {...linkTo('/queues')}
            data-nav="queues"
          >
            {t('navQueues')}
          </a>
          <a
            className={section === 'dashboard' ? 'active' : ''}
            {...linkTo('/dashboard')}
            data-nav="dashboard"
          >
            {t('navDashboard')}
          </a>
          {user.role !== 'village_chief' && (
            <a
              className={section === 'reports' ? 'active' : ''}
              {...linkTo('/reports')}
              data-nav="reports"
            >
              {lang === 'zh' ? '统计报表' : 'Reports'}
            </a>
          )}
          {user.role !== 'village_chief' && user.role !== 'township_chief' && (
            <a
              className={section === 'oversight' ? 'active' : ''}
              {...linkTo('/oversight')}
              data-nav="oversight"
            >
              {ot('navOversight')}
            </a>
          )}
          {LEAD_ROLES.includes(user.role) && (
            <a
              className={section === 'leads' ? 'active' : ''}
              {...linkTo('/leads')}
              data-nav="leads"
            >
              {ot('navLead')}
            </a>
          )}
          {PAPER_EDITORS.includes(user.role) && (
            <a
              className={section === 'paper' ? 'active' : ''}
              {...linkTo('/paper')}
              data-nav="paper"
            >
              {PAPER_NAV[lang]}
            </a>
          )}
          {LEARNING_ROLES.includes(user.role) && (
            <a
              className={section === 'learning' ? 'active' : ''}
              {...linkTo('/learning')}
              data-nav="learning"
            >
              {t('navLearning')}
            </a>
          )}
          {hasDesk(user.role) && (
            <a className={section === 'desk' ? 'active' : ''} {...linkTo('/desk')} data-nav="desk">
              {dt('navDesk')}
            </a>
          )}
        </nav>
        <span className="who">
          {user.displayName} · {t(`role_${user.role}`)} · {user.jurisdictionName}
        </span>
        <InboxBell active={section === 'inbox'} />
        <button
          className="lang"
          data-testid="lang-switch"
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        >
          {t('language')}
        </button>
        <button onClick={logout}>{t('logout')}</button>
      </header>
      <main>{page}</main>
    </div>
  );
}
