import { GengbaoError } from '../errors.ts';
import { covers, prefixAt, type JurisdictionLevel } from '../grid/index.ts';

/**
 * The code prefix a jurisdiction's data shares: its code cut at its level (the grid's
 * `prefixAt`), so the province 140000 owns "14", the city 140500 "1405", a township its 9
 * digits whatever width it is stored at.
 */
export function scopePrefix(code: string, level: JurisdictionLevel): string {
  return prefixAt(code, level);
}

/**
 * What a caller may see and touch: everything whose jurisdiction code starts with `prefix`.
 * Every store query takes a Scope, so a new route cannot forget the rule.
 */
export class Scope {
  readonly prefix: string;

  constructor(prefix: string) {
    if (!/^\d{0,12}$/.test(prefix))
      throw new GengbaoError('internal', `invalid scope prefix ${prefix}`);
    this.prefix = prefix;
  }

  /** The whole country: for the demo loader, migrations and operator CLI commands only. */
  static system(): Scope {
    return new Scope('');
  }

  covers(code: string): boolean {
    return covers(this.prefix, code);
  }

  assertCovers(code: string, what: string): void {
    if (!this.covers(code)) {
      throw new GengbaoError(
        'forbidden_jurisdiction',
        `${what} in jurisdiction ${code} is outside your jurisdiction (${this.prefix || 'all'})`,
        {
          field: 'jurisdiction_code',
        },
      );
    }
  }

  /** Appends the prefix pattern to `params` and returns the SQL condition on `column`. */
  where(column: string, params: unknown[]): string {
    params.push(`${this.prefix}%`);
    return `${column} LIKE $${params.length}`;
  }
}
