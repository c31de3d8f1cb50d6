import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';

interface Account {
  id: number;
  username: string;
  displayName: string;
  jurisdictionCode: string;
  disabled?: boolean;
}

/**
 * The accounts of one unit, chosen by name (a form's `users` widget): the caller's scope is
 * read from GET /api/users and filtered to the unit; the value is the chosen ids as text.
 */
export function UnitUsers({
  name,
  unit,
  chosen,
  toggle,
}: {
  name: string;
  unit: string;
  chosen: readonly string[];
  toggle: (id: string, on: boolean) => void;
}) {
  const { t } = useI18n();
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  useEffect(() => {
    api.get<{ items: Account[] }>('/api/users?limit=1000').then(
      (r) => setAccounts(r.items),
      () => setAccounts([]),
    );
  }, []);
  if (!accounts) return <p className="muted">{t('loading')}</p>;
  const ofUnit = accounts.filter((a) => a.jurisdictionCode === unit && !a.disabled);
  if (!ofUnit.length) return <p className="muted">{t('noUnitUsers')}</p>;
  return (
    <div className="choices" data-testid="unit-users">
      {ofUnit.map((a) => (
        <label key={a.id} className="choice">
          <input
            type="checkbox"
            name={name}
            value={String(a.id)}
            checked={chosen.includes(String(a.id))}
            onChange={(e) => toggle(String(a.id), e.target.checked)}
          />
          {a.displayName}
        </label>
      ))}
    </div>
  );
}
