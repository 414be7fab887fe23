import type { SchemaFields } from '../schema/field-spec';
import type { ModelRoles, RoleName } from './model-definition';

/** Roles held in a config field (the others name create inputs). */
const CONFIG_ROLES: RoleName[] = ['lookback', 'horizon', 'maxHorizon'];

/** A definition's config roles must name integer fields of its schema (a typo fails at registration). */
export function checkRoles(kind: string, roles: ModelRoles, fields: SchemaFields): void {
  for (const role of CONFIG_ROLES) {
    const field = roles[role];
    if (field === undefined) continue;
    if (fields[field]?.type !== 'integer')
      throw new Error(
        `'${kind}' declares role ${role} as '${field}', which is not an integer field of its config`,
      );
  }
}
