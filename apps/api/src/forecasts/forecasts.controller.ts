import { Controller, Delete, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFound } from '@seqcast/core';
import { ForecastEntity } from '@seqcast/db';
import { DataSource } from 'typeorm';
import { ErrorResponses } from '../http/api-errors';

/** Stored forecasts by the id a forecast response carries. */
@ApiTags('forecasts')
@ErrorResponses()
@Controller('forecasts')
export class ForecastsController {
  constructor(private readonly ds: DataSource) {}

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a stored forecast (the `id` of a forecast response)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    // One statement: nothing else points at a forecast row, so there is nothing to keep in step.
    const res = await this.ds.getRepository(ForecastEntity).delete({ id });
    if (!res.affected)
      throw new NotFound(`forecast ${id} not found`, [{ field: 'id', reason: 'no such forecast' }]);
  }
}
