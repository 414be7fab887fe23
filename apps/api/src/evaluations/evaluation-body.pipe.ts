import { Injectable, PipeTransform } from '@nestjs/common';
import { validationPipe } from '../http/validation.pipe';
import { CreateEvaluationDto } from './evaluation.dto';

/** The body of an EBES-style evaluation: the config `seqcast eval sequences` reads, with kind 'sequences'. */
export type SequencesEvaluationBody = Record<string, unknown> & { kind: 'sequences' };

/** The body of LS4's generation protocol on a stored dataset column, with kind 'generation'. */
export type GenerationEvaluationBody = Record<string, unknown> & { kind: 'generation' };

/** The bodies a job handler checks field by field, by their `kind`. */
const CONFIG_KINDS = ['sequences', 'generation'];

/**
 * POST /evaluations takes three bodies: a backtest (the DTO, checked by class-validator as
 * before) or, with `kind: 'sequences'`, a sequence-level evaluation config, or with
 * `kind: 'generation'` LS4's generation protocol, which their job handlers check field by
 * field (libs/eval's validateSequenceEvalConfig, validateGenerationEvalConfig). The route's
 * parameter is a union, so the global pipe leaves it alone and this one chooses.
 */
@Injectable()
export class EvaluationBodyPipe implements PipeTransform {
  private readonly dto = validationPipe();

  async transform(
    value: unknown,
  ): Promise<CreateEvaluationDto | SequencesEvaluationBody | GenerationEvaluationBody> {
    if (
      value &&
      typeof value === 'object' &&
      CONFIG_KINDS.includes((value as Record<string, unknown>).kind as string)
    )
      return value as SequencesEvaluationBody | GenerationEvaluationBody;
    return this.dto.transform(value, { type: 'body', metatype: CreateEvaluationDto, data: undefined });
  }
}
