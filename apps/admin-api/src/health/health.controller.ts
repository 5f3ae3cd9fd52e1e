import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator.js';
import { FeishuHealthService } from './feishu-health.service.js';
import { HealthDto } from './health.dto.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly feishuHealth: FeishuHealthService) {}

  @Get()
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Liveness, and whether Feishu answers and accepts our credentials',
    description:
      'Always 200 while this service runs (no admin token needed); `feishu` reports whether Feishu is reachable and accepts the app credentials. Monitor `feishu.reachable` and `feishu.authenticated`, not the status code.',
  })
  @ApiOkResponse({ type: HealthDto })
  async health(): Promise<HealthDto> {
    return { status: 'ok', feishu: await this.feishuHealth.probe() };
  }
}
