import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorDetailDto } from '../errors/error.dto.js';

export class BulkDeleteResultDto {
  @ApiProperty({ format: 'uuid' })
  guid: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ['deleted', 'failed'] })
  status: 'deleted' | 'failed';

  @ApiPropertyOptional({
    type: () => ErrorDetailDto,
    description: 'why it failed, as an error answer would say',
  })
  error?: ErrorDetailDto;
}

export class BulkDeleteDto {
  @ApiProperty({ description: 'how many were deleted' })
  deleted: number;

  @ApiProperty({ description: 'how many could not be deleted' })
  failed: number;

  @ApiProperty({
    type: () => BulkDeleteResultDto,
    isArray: true,
    description: 'one per attachment, in upload order',
  })
  results: BulkDeleteResultDto[];
}
