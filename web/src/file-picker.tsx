import { useRef, useState, type InputHTMLAttributes } from 'react';
import { useI18n } from './i18n.ts';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & {
  /** The button's words; the app's 选择文件 / Choose file by default. */
  chooseText?: string;
  /** What shows before a file is chosen; 未选择文件 / No file chosen by default. */
  noneText?: string;
};

/**
 * A file input in the app's language. The browser draws its own file control in the browser's
 * language (“Choose File · No file chosen” on an English Chromium, whatever the app's
 * language), so the input is hidden and a button of ours opens it; the chosen names show beside
 * it. The input comes first, so a <label> around the picker names the input (and a click on the
 * label opens it); it keeps its name, accept and test id, so forms and tests read it as before.
 */
export function FilePicker({ chooseText, noneText, onChange, ...input }: Props) {
  const { t } = useI18n();
  const ref = useRef<HTMLInputElement>(null);
  const [names, setNames] = useState('');
  return (
    <span className="file-picker">
      <input
        {...input}
        ref={ref}
        type="file"
        hidden
        onChange={(e) => {
          setNames(Array.from(e.target.files ?? [], (f) => f.name).join('、'));
          onChange?.(e);
        }}
      />
      <button type="button" onClick={() => ref.current?.click()}>
        {chooseText ?? t('chooseFile')}
      </button>{' '}
      <span className="muted">{names || (noneText ?? t('noFileChosen'))}</span>
    </span>
  );
}
