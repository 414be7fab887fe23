import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { NotFound } from '@seqcast/core';
import { API_KEY_SCOPES, ApiKeys, ApiKeyScope } from '@seqcast/db';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { ErrorResponses } from '../http/api-errors';
import { RequireScope } from './api-key.guard';
import { VerifiedKeys } from './verified-keys';

export class CreateKeyDto {
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['read', 'write'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes!: ApiKeyScope[];

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class KeyView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The public start of the key, naming it; not a secret' }) prefix!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes!: string[];
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true }) revokedAt!: Date | null;
}

export class CreatedKeyView extends KeyView {
  @ApiProperty({ description: 'The key itself, shown only in this answer: only its hash is stored' }) key!: string;
}

/** Key management (admin scope). The CLI does the same directly against the database. */
@ApiTags('keys')
@ErrorResponses()
@RequireScope('admin')
@Controller('keys')
export class KeysController {
  private readonly keys: ApiKeys;

  constructor(
    ds: DataSource,
    private readonly verified: VerifiedKeys,
  ) {
    this.keys = new ApiKeys(ds);
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key (the key is in this answer only)' })
  @ApiCreatedResponse({ type: CreatedKeyView })
  create(@Body() dto: CreateKeyDto): Promise<CreatedKeyView> {
    return this.keys.create(dto.scopes, dto.name ?? '');
  }

  @Get()
  @ApiOperation({ summary: 'List API keys: prefixes and scopes, never keys or hashes' })
  @ApiOkResponse({ type: [KeyView] })
  list(): Promise<KeyView[]> {
    return this.keys.list();
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key by id or prefix' })
  @ApiOkResponse({ type: KeyView })
  async revoke(@Param('id') id: string): Promise<KeyView> {
    const revoked = await this.keys.revoke(id);
    if (!revoked) throw new NotFound(`no API key ${id}`);
    // At once in this process; other processes trust it for VERIFIED_KEY_TTL_MS at most.
    this.verified.forget(revoked.id);
    return revoked;
  }
}
