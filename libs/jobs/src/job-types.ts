/**
 * Job types are declared once, next to the module that handles them. The API refuses
 * unknown types and the boot fails when a declared type has no handler, so a typo in a
 * handler's type name is found at start, not when the first job of that type runs.
 */
export interface JobTypeInfo {
  type: string;
  description: string;
}

const declared = new Map<string, JobTypeInfo>();

export function declareJobType(type: string, description: string): string {
  declared.set(type, { type, description });
  return type;
}

export function declaredJobTypes(): JobTypeInfo[] {
  return [...declared.values()].sort((a, b) => a.type.localeCompare(b.type));
}

export function isDeclaredJobType(type: string): boolean {
  return declared.has(type);
}
