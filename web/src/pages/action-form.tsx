import { useState } from 'react';
import { useI18n } from '../i18n.ts';
import { inputFrom, isJsonField, type Schema, type Values } from './action-input.ts';

/**
 * A form built from an action's input schema: selects for enums, checkboxes, numbers, dates,
 * text, and a JSON box for nested fields (photos, parties, measures) — the field app and
 * document uploads fill those in real use. `version` is taken from the case, never typed.
 */
export function ActionForm({
  schema,
  version,
  label,
  onSubmit,
  onCancel,
}: {
  schema: Schema;
  version: number;
  label: string;
  onSubmit: (input: Record<string, unknown>) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const props = Object.entries(schema.properties ?? {}).filter(
    ([n, s]) => n !== 'version' && s.const === undefined,
  );
  const required = new Set(schema.required ?? []);
  const [values, setValues] = useState<Values>(() =>
    Object.fromEntries(
      props.map(([n, s]) => [
        n,
        s.type === 'boolean'
          ? s.default === true
          : isJsonField(s)
            ? JSON.stringify(s.default ?? (s.type === 'array' ? [] : {}))
            : s.default !== undefined
              ? String(s.default)
              : '',
      ]),
    ),
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(inputFrom(schema, values, version));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const set = (n: string, v: string | boolean) => setValues({ ...values, [n]: v });
  return (
    <form className="action-form" onSubmit={submit} data-testid="action-form">
      <h4>{label}</h4>
      {props.map(([name, s]) => (
        <label key={name} className={isJsonField(s) ? 'json' : ''}>
          <span>
            {name}
            {required.has(name) && ' *'}
          </span>
          {s.enum ? (
            <select
              name={name}
              value={String(values[name])}
              onChange={(e) => set(name, e.target.value)}
            >
              <option value="" />
              {s.enum.map((o) => (
                <option key={String(o)} value={String(o)}>
                  {String(o)}
                </option>
              ))}
            </select>
          ) : s.type === 'boolean' ? (
            <input
              name={name}
              type="checkbox"
              checked={values[name] === true}
              onChange={(e) => set(name, e.target.checked)}
            />
          ) : isJsonField(s) ? (
            <textarea
              name={name}
              rows={3}
              value={String(values[name])}
              onChange={(e) => set(name, e.target.value)}
            />
          ) : (
            <input
              name={name}
              type={
                s.type === 'integer' || s.type === 'number'
                  ? 'number'
                  : s.format === 'date'
                    ? 'date'
                    : s.format === 'date-time'
                      ? 'datetime-local'
                      : 'text'
              }
              value={String(values[name])}
              onChange={(e) => set(name, e.target.value)}
            />
          )}
        </label>
      ))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div>
        <button type="submit" disabled={busy} data-testid="action-submit">
          {t('submit')}
        </button>{' '}
        <button type="button" className="link" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
