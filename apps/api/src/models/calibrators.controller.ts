import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { calibratorRegistry } from '@seqcast/conformal';
import { CalibrationService } from '@seqcast/models';
import { ErrorResponses } from '../http/api-errors';
import { JobView } from '../jobs/job.dto';
import { CalibratorView, CreateCalibratorDto, ObservationDto } from './calibrator.dto';

@ApiTags('intervals')
@ErrorResponses()
@Controller('models')
export class CalibratorsController {
  constructor(private readonly calibration: CalibrationService) {}

  @Get('calibrator-methods')
  @ApiOperation({ summary: 'Conformal methods with their options and defaults' })
  methods() {
    return calibratorRegistry.describe();
  }

  @Post(':id/calibrators')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Attach a conformal calibrator; a job computes the model's residuals. Once ready, forecasts carry bounds (lo-90, hi-90, ...). The newest calibrator to become ready is the one used; the previous one is marked superseded.",
  })
  @ApiAcceptedResponse({ description: 'The calibrator and the job fitting it' })
  async create(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateCalibratorDto,
  ): Promise<{ calibrator: CalibratorView; job: JobView }> {
    const { calibrator, job } = await this.calibration.create(id, dto);
    return { calibrator: CalibratorView.of(calibrator), job: JobView.of(job) };
  }

  @Get(':id/calibrators')
  @ApiOkResponse({ type: [CalibratorView] })
  async list(@Param('id', new ParseUUIDPipe()) id: string): Promise<CalibratorView[]> {
    return (await this.calibration.list(id)).map(CalibratorView.of);
  }

  @Get(':id/calibrators/:cid/state')
  @ApiOperation({
    summary:
      "A calibrator's state per series: per horizon step its residual counts, and per level the rolling coverage over the latest truths (ACI: alpha_t; SPCI: the forest's last refit)",
  })
  state(@Param('id', new ParseUUIDPipe()) id: string, @Param('cid', new ParseUUIDPipe()) cid: string) {
    return this.calibration.state(id, cid);
  }

  @Post(':id/observations')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Feed the truth of a forecast, whole or in pieces (fromStep): each step's residual state updates as soon as its truth comes (saved, survives restarts); a step given twice is refused with 409",
  })
  observe(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ObservationDto) {
    return this.calibration.observe(id, dto);
  }
}
