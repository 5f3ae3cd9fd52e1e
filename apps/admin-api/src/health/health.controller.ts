import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator.js';
import { FeishuHealthService } from './feishu-health.service.js';
import { HealthDto, LivenessDto, ReadinessDto } from './health.dto.js';

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

  @Get('live')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Liveness probe',
    description: 'Always 200 while the process serves requests; asks nothing of Feishu.',
  })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Readiness probe',
    description:
      '200 when Feishu answers and accepts the app credentials; 503 when it is unreachable or rejects them, so a load balancer stops sending traffic.',
  })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessDto> {
    const feishu = await this.feishuHealth.probe();
    const ready = feishu.reachable && feishu.authenticated;
    res.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not-ready', feishu };
  }
}
