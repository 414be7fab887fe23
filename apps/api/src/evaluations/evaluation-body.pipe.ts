import { Injectable, PipeTransform } from '@nestjs/common';
import { validationPipe } from '../http/validation.pipe';
import { CreateEvaluationDto } from './evaluation.dto';

/** The body of an EBES-style evaluation: the config `seqcast eval sequences` reads, with kind 'sequences'. */
export type SequencesEvaluationBody = Record<string, unknown> & { kind: 'sequences' };

/**
 * POST /evaluations takes two bodies: a backtest (the DTO, checked by class-validator as
 * before) or, with `kind: 'sequences'`, a sequence-level evaluation config, which its job
 * handler checks field by field (libs/eval's validateSequenceEvalConfig). The route's
 * parameter is a union, so the global pipe leaves it alone and this one chooses.
 */
@Injectable()
export class EvaluationBodyPipe implements PipeTransform {
  private readonly dto = validationPipe();

  async transform(value: unknown): Promise<CreateEvaluationDto | SequencesEvaluationBody> {
    if (value && typeof value === 'object' && (value as Record<string, unknown>).kind === 'sequences')
      return value as SequencesEvaluationBody;
    return this.dto.transform(value, { type: 'body', metatype: CreateEvaluationDto, data: undefined });
  }
}
