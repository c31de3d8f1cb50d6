import { useEffect, useState } from 'react';
import { api, ApiError, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { PAGE_SIZE, Pager } from '../pager.tsx';
import { hasChinese, inLang } from '../server-words.ts';
import { useDeskText } from './desk-text.ts';
import { UnitPicker } from './unit-picker.tsx';

interface Account {
  id: number;
  username: string;
  displayName: string;
  role: string;
  jurisdictionName: string;
  phone: string | null;
  disabled: boolean;
}

const ROLES = [
  'village_chief',
  'township_chief',
  'county_officer',
  'city_reviewer',
  'province_monitor',
  'supervisor',
  'admin',
];

/**
 * 用户管理: the accounts of my jurisdiction; an administrator creates one (the password rules
 * beside the field, the server's refusal under the field it names) and disables or re-enables
 * one. Accounts are never deleted: their names stay on the record.
 */
export function UsersPage({ user }: { user: User }) {
  const t = useDeskText();
  const { t: tt, lang } = useI18n();
  const [users, setUsers] = useState<Account[] | null>(null);
  const [page, setPage] = useState(0);
  const [reload, setReload] = useState(0);
  const [unit, setUnit] = useState(user.jurisdictionCode);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const admin = user.role === 'admin';
  useEffect(() => {
    api.getAll<Account>('/api/users').then(setUsers, () => setUsers([]));
  }, [reload]);

  const create = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setErrors({});
    setDone(null);
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      const u = await api.post<Account>('/api/users', {
        username: f.get('username'),
        displayName: f.get('displayName'),
        password: f.get('password'),
        role: f.get('role'),
        jurisdictionCode: unit,
        ...(f.get('phone') ? { phone: f.get('phone') } : {}),
      });
      setDone(t('created', { u: u.username }));
      form.reset();
      setReload((n) => n + 1);
    } catch (err) {
      const field = err instanceof ApiError && err.field ? err.field : 'form';
      const msg = (err as Error).message;
      // The password rules answer in both languages; the other refusals are said here in the page's words.
      const words = hasChinese(msg)
        ? inLang(msg, lang)
        : err instanceof ApiError && err.code === 'conflict'
          ? t('usernameTaken')
          : t('refused');
      setErrors({ [field === 'jurisdictionCode' ? 'unit' : field]: words });
    }
  };
  const toggle = async (a: Account) => {
    try {
      await api.post(`/api/users/${a.id}/disabled`, { disabled: !a.disabled });
      setReload((n) => n + 1);
    } catch (err) {
      setErrors({ list: inLang((err as Error).message, lang) });
    }
  };
  const shown = users?.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE) ?? [];
  const err = (k: string) => errors[k] && <span className="error field-error">{errors[k]}</span>;

  return (
    <div className="users-page" data-testid="users-page">
      {admin && (
        <form className="card user-form" onSubmit={create} data-testid="user-form">
          <h3>{t('createUser')}</h3>
          <label>
            <span>{t('username')}</span>
            <input
              name="username"
              required
              pattern="[a-zA-Z0-9._\-]{2,64}"
              data-testid="user-username"
            />
            <small className="muted">{t('usernameRule')}</small>
            {err('username')}
          </label>
          <label>
            <span>{t('displayName')}</span>
            <input name="displayName" required maxLength={100} data-testid="user-name" />
            {err('displayName')}
          </label>
          <label>
            <span>{t('password')}</span>
            <input
              name="password"
              type="password"
              required
              autoComplete="new-password"
              data-testid="user-password"
            />
            <small className="muted" data-testid="password-rule">
              {t('passwordRule')}
            </small>
            {err('password')}
          </label>
          <label>
            <span>{t('role')}</span>
            <select name="role" defaultValue="village_chief" data-testid="user-role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tt(`role_${r}`)}
                </option>
              ))}
            </select>
            {err('role')}
          </label>
          <label>
            <span>{t('unit')}</span>
            <UnitPicker
              own={user.jurisdictionCode}
              ownName={user.jurisdictionName}
              onChange={setUnit}
            />
            {err('unit')}
          </label>
          <label>
            <span>{t('phone')}</span>
            <input name="phone" maxLength={30} />
          </label>
          <button type="submit" data-testid="user-create">
            {t('createUser')}
          </button>
          {err('form')}
          {done && <p data-testid="user-created">{done}</p>}
        </form>
      )}
      {err('list')}
      {users && (
        <>
          <table className="list" data-testid="users-table">
            <thead>
              <tr>
                <th>{t('username')}</th>
                <th>{t('displayName')}</th>
                <th>{t('role')}</th>
                <th>{t('unit')}</th>
                <th>{t('status')}</th>
                {admin && <th />}
              </tr>
            </thead>
            <tbody>
              {shown.map((a) => (
                <tr key={a.id} data-user={a.username}>
                  <td>{a.username}</td>
                  <td>{a.displayName}</td>
                  <td>{tt(`role_${a.role}`)}</td>
                  <td>{a.jurisdictionName}</td>
                  <td>
                    {a.disabled ? <span className="error">{t('disabled')}</span> : t('active')}
                  </td>
                  {admin && (
                    <td>
                      {a.id !== user.id && (
                        <button
                          className="link"
                          onClick={() => toggle(a)}
                          data-testid={`toggle-${a.username}`}
                        >
                          {a.disabled ? t('enable') : t('disable')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={users.length} page={page} onPage={setPage} />
        </>
      )}
    </div>
  );
}
