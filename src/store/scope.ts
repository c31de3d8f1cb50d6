import { GengbaoError } from '../errors.ts';

export type JurisdictionLevel = 'nation' | 'province' | 'city' | 'county' | 'township' | 'village';

/**
 * The code prefix that a jurisdiction's data shares (GB/T 2260 extended): a province 140000
 * owns every code starting "14", a city 140500 "1405", a county 140525 "140525", a township
 * its 9 digits, a village its 12. By level, not by trailing zeros: 140500 is a city but a
 * county code may end in 00 too.
 */
export function scopePrefix(code: string, level: JurisdictionLevel): string {
  switch (level) {
    case 'nation':
      return '';
    case 'province':
      return code.slice(0, 2);
    case 'city':
      return code.slice(0, 4);
    default:
      return code;
  }
}

/**
 * What a caller may see and touch: everything whose jurisdiction code starts with `prefix`.
 * Every store query takes a Scope, so a new route cannot forget the rule.
 */
export class Scope {
  readonly prefix: string;

  constructor(prefix: string) {
    if (!/^\d{0,12}$/.test(prefix)) throw new GengbaoError('internal', `invalid scope prefix ${prefix}`);
    this.prefix = prefix;
  }

  /** The whole country: for the demo loader, migrations and operator CLI commands only. */
  static system(): Scope {
    return new Scope('');
  }

  covers(code: string): boolean {
    return code.startsWith(this.prefix);
  }

  assertCovers(code: string, what: string): void {
    if (!this.covers(code)) {
      throw new GengbaoError('forbidden_jurisdiction', `${what} in jurisdiction ${code} is outside your jurisdiction (${this.prefix || 'all'})`, {
        field: 'jurisdiction_code',
      });
    }
  }

  /** Appends the prefix pattern to `params` and returns the SQL condition on `column`. */
  where(column: string, params: unknown[]): string {
    params.push(`${this.prefix}%`);
    return `${column} LIKE $${params.length}`;
  }
}
