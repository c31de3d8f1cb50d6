/** Renames properties per a field mapping {target: source}; unmapped fields are kept. */
export function mapFields(
  props: Record<string, unknown>,
  fieldMap: Record<string, string> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...props };
  for (const [target, source] of Object.entries(fieldMap)) {
    if (source in props) {
      out[target] = props[source];
      if (target !== source) delete out[source];
    }
  }
  return out;
}
