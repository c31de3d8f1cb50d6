import { useEffect, useState } from 'react';
import { api, qs } from '../api.ts';
import { useDeskText } from './desk-text.ts';

interface Unit {
  code: string;
  name: string;
}

/** Units of a level (under `parent` when given), by code; none while `enabled` is false. */
function useUnits(level: string, parent: string, enabled: boolean): Unit[] {
  const [units, setUnits] = useState<Unit[]>([]);
  useEffect(() => {
    if (!enabled) return setUnits([]);
    api.getAll<Unit>(`/api/jurisdictions${qs({ level, parent, limit: 1000 })}`).then(
      (items) => setUnits(items.sort((a, b) => a.code.localeCompare(b.code))),
      () => setUnits([]),
    );
  }, [level, parent, enabled]);
  return units;
}

/**
 * A unit chosen by name, county → township → village, inside the caller's scope; the chosen
 * code goes to `onChange` (the caller's own unit when nothing below is chosen). Nobody types a
 * 12-digit code.
 */
export function UnitPicker({
  own,
  ownName,
  onChange,
}: {
  own: string;
  ownName: string;
  onChange: (code: string) => void;
}) {
  const t = useDeskText();
  const [county, setCounty] = useState('');
  const [township, setTownship] = useState('');
  const [village, setVillage] = useState('');
  // A county officer's (or administrator's) own unit is a county: start at its townships.
  const countyLevel = own.length === 6 && !own.endsWith('00');
  const counties = useUnits('county', '', !countyLevel);
  const townships = useUnits('township', countyLevel ? own : county, countyLevel || !!county);
  const villages = useUnits('village', township, !!township);
  useEffect(() => onChange(village || township || county || own), [village, township, county, own]);
  return (
    <span className="unit-picker" data-testid="unit-picker">
      {!countyLevel && (
        <select
          value={county}
          onChange={(e) => (setCounty(e.target.value), setTownship(''), setVillage(''))}
          data-testid="unit-county"
        >
          <option value="">{ownName}</option>
          {counties.map((u) => (
            <option key={u.code} value={u.code}>
              {u.name}
            </option>
          ))}
        </select>
      )}
      {(countyLevel || county) && (
        <select
          value={township}
          onChange={(e) => (setTownship(e.target.value), setVillage(''))}
          data-testid="unit-township"
        >
          <option value="">{countyLevel ? ownName : t('pickUnit')}</option>
          {townships.map((u) => (
            <option key={u.code} value={u.code}>
              {u.name}
            </option>
          ))}
        </select>
      )}
      {township && (
        <select
          value={village}
          onChange={(e) => setVillage(e.target.value)}
          data-testid="unit-village"
        >
          <option value="">{t('pickUnit')}</option>
          {villages.map((u) => (
            <option key={u.code} value={u.code}>
              {u.name}
            </option>
          ))}
        </select>
      )}
    </span>
  );
}
