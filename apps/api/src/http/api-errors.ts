import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class ErrorDetailView {
  @ApiPropertyOptional() field?: string;
  @ApiPropertyOptional() row?: number;
  @ApiPropertyOptional() column?: string;
  @ApiProperty() reason!: string;
}

export class ErrorView {
  @ApiProperty({ example: 'validation_failed' }) error!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [ErrorDetailView] }) details!: ErrorDetailView[];
  @ApiProperty({ description: 'The request id, also in the X-Request-Id response header and the log lines.' })
  requestId!: string;
}

/** Documents the shared error shape on a controller. */
export const ErrorResponses = () =>
  applyDecorators(
    ApiResponse({ status: 400, description: 'Invalid request', type: ErrorView }),
    ApiResponse({ status: 404, description: 'Not found', type: ErrorView }),
    ApiResponse({
      status: 429,
      description: 'Over the rate limit of this API key (RATE_LIMIT_RPS, RATE_LIMIT_BURST)',
      type: ErrorView,
      headers: { 'Retry-After': { description: 'Seconds until a request is accepted again', schema: { type: 'integer' } } },
    }),
    ApiResponse({ status: 500, description: 'Internal error', type: ErrorView }),
  );
