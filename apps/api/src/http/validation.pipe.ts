import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail, ValidationFailed } from '@seqcast/core';
import { plainForecastBody } from '../models/forecast-body';
import { ForecastDto } from '../models/model.dto';

function details(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...details(e.children ?? [], field)];
  });
}

/**
 * Bodies of hot routes that a hand-written check can pass as they are: it returns the DTO
 * the pipe would make for a plainly valid body, or undefined to leave the body to the pipe.
 */
const PLAIN_BODIES = new Map<unknown, (value: unknown) => object | undefined>([[ForecastDto, plainForecastBody]]);

/** The pipe, with a way around class-validator for plainly valid bodies of hot routes. */
class SeqcastValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const plain = metadata.type === 'body' ? PLAIN_BODIES.get(metadata.metatype)?.(value) : undefined;
    return plain ?? super.transform(value, metadata);
  }
}

/** DTO validation: unknown fields are refused, and every bad field is named. */
export function validationPipe(): ValidationPipe {
  return new SeqcastValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const d = details(errors);
      return new ValidationFailed(`invalid request: ${d.map((x) => x.reason).join('; ')}`, d);
    },
  });
}
