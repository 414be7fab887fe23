import { registerDecorator, ValidationOptions } from 'class-validator';

/** Index of the first entry that is not a finite number, or -1. */
export function firstNonFinite(values: readonly unknown[]): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return i;
  }
  return -1;
}

/**
 * An array of finite numbers, checked in one plain loop. class-validator's
 * `@IsNumber({}, { each: true })` costs about a microsecond a value, so a context of 100 k
 * values held the event loop for a tenth of a second; this loop costs well under a millisecond.
 * The message names the first bad entry.
 */
export function IsFiniteNumbers(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isFiniteNumbers',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => Array.isArray(value) && firstNonFinite(value) < 0,
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          if (!Array.isArray(value)) return `${args?.property} must be an array of finite numbers`;
          const i = firstNonFinite(value);
          return `${args?.property} must be an array of finite numbers: entry ${i} is ${JSON.stringify(value[i]) ?? String(value[i])}`;
        },
      },
    });
}
