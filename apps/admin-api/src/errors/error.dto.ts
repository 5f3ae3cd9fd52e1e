import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FeishuErrorInfoDto {
  @ApiProperty({ description: "Feishu's `code`; -1 when the answer was not Feishu JSON", example: 1470404 })
  code: number;

  @ApiProperty({ example: 'The task does not exist or has been deleted.' })
  msg: string;

  @ApiPropertyOptional({
    description: 'X-Tt-Logid: quote it to Feishu support',
    example: '20250101120000ABCDEF0123456789ABCDEF',
  })
  logId?: string;
}

export class ErrorDetailDto {
  @ApiProperty({ example: 404 })
  status: number;

  @ApiProperty({ example: 'The task does not exist or has been deleted.' })
  message: string;

  @ApiPropertyOptional({
    type: () => FeishuErrorInfoDto,
    description: 'present when Feishu answered with an error',
  })
  feishu?: FeishuErrorInfoDto;
}

/** Every error this service answers with. */
export class ErrorBodyDto {
  @ApiProperty({ type: () => ErrorDetailDto })
  error: ErrorDetailDto;
}
