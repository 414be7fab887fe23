import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { adapterRegistry } from '@seqcast/adapt';
import { AdaptationService } from '@seqcast/models';
import { ErrorResponses } from '../http/api-errors';
import { AdapterSeriesDto, AdapterView, CreateAdapterDto, RollbackDto } from './adapter.dto';

@ApiTags('adaptation')
@ErrorResponses()
@Controller('models')
export class AdaptersController {
  constructor(private readonly adaptation: AdaptationService) {}

  @Get('adapter-methods')
  @ApiOperation({ summary: 'Online adaptation methods with their options and defaults' })
  methods() {
    return adapterRegistry.describe();
  }

  @Post(':id/adapters')
  @ApiOperation({
    summary:
      "Attach an online adapter to the model's current version. Each series' adapter starts at its first forecast (from that forecast's context) and learns from the truths sent to POST /models/:id/observations; forecasts then say which adapter state made them. The newest adapter is the one used; an earlier one is marked superseded.",
  })
  @ApiCreatedResponse({ type: AdapterView })
  async create(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateAdapterDto,
  ): Promise<AdapterView> {
    return AdapterView.of(await this.adaptation.create(id, dto));
  }

  @Get(':id/adapters')
  @ApiOkResponse({ type: [AdapterView] })
  async list(@Param('id', new ParseUUIDPipe()) id: string): Promise<AdapterView[]> {
    return (await this.adaptation.list(id)).map(AdapterView.of);
  }

  @Delete(':id/adapters/:aid')
  @ApiOperation({ summary: 'Detach an adapter: forecasts are no longer adapted (its states stay readable)' })
  async detach(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('aid', new ParseUUIDPipe()) aid: string,
  ): Promise<AdapterView> {
    return AdapterView.of(await this.adaptation.detach(id, aid));
  }

  @Get(':id/adapters/:aid/state')
  @ApiOperation({
    summary:
      "Each series' adapter: stream position, steps taken, recent loss, parameter count, rollback points",
  })
  @ApiQuery({ name: 'seriesKey', required: false })
  async state(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('aid', new ParseUUIDPipe()) aid: string,
    @Query('seriesKey') seriesKey?: string,
  ) {
    const adapter = AdapterView.of(await this.adaptation.get(id, aid));
    return { adapter, series: await this.adaptation.seriesStates(id, aid, seriesKey) };
  }

  @Post(':id/adapters/:aid/reset')
  @HttpCode(200)
  @ApiOperation({ summary: "Put a series' adapter back to its initial modules; its stream goes on" })
  reset(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('aid', new ParseUUIDPipe()) aid: string,
    @Body() dto: AdapterSeriesDto,
  ) {
    return this.adaptation.reset(id, aid, dto.seriesKey);
  }

  @Post(':id/adapters/:aid/rollback')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Make an earlier state of a series' adapter current again (modules and stream as at stream time seq); observations resume from that time",
  })
  rollback(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('aid', new ParseUUIDPipe()) aid: string,
    @Body() dto: RollbackDto,
  ) {
    return this.adaptation.rollback(id, aid, dto.seriesKey, dto.seq);
  }
}
