import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AdminApiSettings } from './admin-api.settings.js';
import { AdminTokenGuard } from './auth/admin-token.guard.js';
import { AttachmentsController } from './attachments/attachments.controller.js';
import { AttachmentsService } from './attachments/attachments.service.js';
import { TaskAttachmentsController } from './attachments/task-attachments.controller.js';
import { UploadInterceptor } from './attachments/upload.interceptor.js';
import { AdminApiErrorFilter } from './errors/admin-api-error.filter.js';
import {
  FEISHU_CLIENT_TUNING,
  feishuClientProvider,
  type FeishuClientTuning,
} from './feishu/feishu-client.provider.js';
import { FeishuHealthService } from './health/feishu-health.service.js';
import { HealthController } from './health/health.controller.js';
import { TaskMembersController } from './tasks/task-members.controller.js';
import { TasksController } from './tasks/tasks.controller.js';
import { TasksService } from './tasks/tasks.service.js';

export interface AdminApiModuleOptions {
  settings: AdminApiSettings;
  tuning: FeishuClientTuning;
}

@Module({})
export class AdminApiModule {
  static forRoot({ settings, tuning }: AdminApiModuleOptions): DynamicModule {
    return {
      module: AdminApiModule,
      controllers: [
        HealthController,
        TasksController,
        TaskMembersController,
        TaskAttachmentsController,
        AttachmentsController,
      ],
      providers: [
        { provide: AdminApiSettings, useValue: settings },
        { provide: FEISHU_CLIENT_TUNING, useValue: tuning },
        feishuClientProvider,
        AttachmentsService,
        TasksService,
        FeishuHealthService,
        UploadInterceptor,
        { provide: APP_GUARD, useClass: AdminTokenGuard },
        { provide: APP_FILTER, useClass: AdminApiErrorFilter },
      ],
    };
  }
}
