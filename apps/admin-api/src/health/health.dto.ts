import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FeishuHealthDto {
  @ApiProperty({ description: 'Feishu (or the emulator) answered at all' })
  reachable: boolean;

  @ApiProperty({ description: "Feishu accepted this service's app credentials" })
  authenticated: boolean;

  @ApiProperty({ description: 'how long the probe took, retries included', example: 12 })
  latencyMs: number;

  @ApiPropertyOptional({ description: 'what went wrong, when something did' })
  error?: string;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok'], description: 'this service is up; the state of Feishu is in `feishu`' })
  status: 'ok';

  @ApiProperty({ type: () => FeishuHealthDto })
  feishu: FeishuHealthDto;
}

export class LivenessDto {
  @ApiProperty({ enum: ['ok'], description: 'this process is up and serving' })
  status: 'ok';
}

export class ReadinessDto {
  @ApiProperty({
    enum: ['ready', 'not-ready'],
    description: '`ready` when Feishu answers and accepts the app credentials',
  })
  status: 'ready' | 'not-ready';

  @ApiProperty({ type: () => FeishuHealthDto })
  feishu: FeishuHealthDto;
}
