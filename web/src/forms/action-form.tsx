import { useState } from 'react';
import { ApiError, type CaseAction } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Fields, useWords } from './form-fields.tsx';
import {
  errorWords,
  fieldOfError,
  initialValues,
  inputFrom,
  missingFields,
  type Bilingual,
  type RecordPhoto,
  type Values,
} from './form-values.ts';
import './forms.css';

/**
 * The form of one lifecycle action, drawn from the description the server sends with it
 * (src/cases/forms.ts): labels, help, widgets and choices in the UI language. Missing entries
 * are shown beside their fields before sending; the server's refusal is shown beside the field
 * it names, or above the buttons. `version` comes from the case, never typed.
 */
export function ActionForm({
  action,
  version,
  photos,
  onSubmit,
  onCancel,
}: {
  action: CaseAction;
  version: number;
  photos: readonly RecordPhoto[];
  onSubmit: (input: Record<string, unknown>) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const words = useWords();
  const fields = action.form.fields;
  const [values, setValues] = useState<Values>(() => initialValues(fields));
  const [errors, setErrors] = useState<Record<string, Bilingual>>({});
  const [general, setGeneral] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  // An entry changed: its error no longer applies.
  const change = (next: Values) => {
    setErrors((errs) =>
      Object.fromEntries(Object.entries(errs).filter(([k]) => next[k] === values[k])),
    );
    setValues(next);
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    const missing = missingFields(fields, values);
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      await onSubmit(inputFrom(fields, values, version, photos));
    } catch (err) {
      const said =
        err instanceof ApiError ? errorWords(err.code, err.message) : errorWords('internal', '');
      const field = err instanceof ApiError ? fieldOfError(err.field) : undefined;
      if (field && fields.some((f) => f.name === field)) setErrors({ [field]: said });
      else setGeneral(said);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="action-form" onSubmit={submit} data-testid="action-form" noValidate>
      <h4>{words(action.form.label)}</h4>
      <Fields
        fields={fields}
        values={values}
        onChange={change}
        errors={errors}
        photos={photos}
        path=""
      />
      {general && (
        <p className="error" role="alert" data-testid="form-error">
          {words(general)}
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
