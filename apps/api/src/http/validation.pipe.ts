import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail, ValidationFailed } from '@seqcast/core';

function details(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...details(e.children ?? [], field)];
  });
}

/** DTO validation: unknown fields are refused, and every bad field is named. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const d = details(errors);
      return new ValidationFailed(`invalid request: ${d.map((x) => x.reason).join('; ')}`, d);
    },
  });
}
