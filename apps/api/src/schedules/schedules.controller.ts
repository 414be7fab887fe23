import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { SchedulerService } from '@seqcast/jobs';
import { ErrorResponses } from '../http/api-errors';
import { CreateScheduleDto, ScheduleView, UpdateScheduleDto } from './schedule.dto';

@ApiTags('schedules')
@ErrorResponses()
@Controller('schedules')
export class SchedulesController {
  constructor(private readonly scheduler: SchedulerService) {}

  @Post()
  @ApiOperation({ summary: 'Enqueue a job of `jobType` on a cron schedule (the types and payloads POST /jobs takes)' })
  @ApiCreatedResponse({ type: ScheduleView })
  async create(@Body() dto: CreateScheduleDto): Promise<ScheduleView> {
    return ScheduleView.of(await this.scheduler.create({ ...dto, from: 'public' }));
  }

  @Get()
  @ApiOkResponse({ type: [ScheduleView] })
  async list(): Promise<ScheduleView[]> {
    return (await this.scheduler.list()).map(ScheduleView.of);
  }

  @Get(':id')
  @ApiOkResponse({ type: ScheduleView })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ScheduleView> {
    return ScheduleView.of(await this.scheduler.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Pause or resume a schedule' })
  @ApiOkResponse({ type: ScheduleView })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateScheduleDto,
  ): Promise<ScheduleView> {
    return ScheduleView.of(await this.scheduler.setEnabled(id, dto.enabled));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.scheduler.remove(id);
  }
}
