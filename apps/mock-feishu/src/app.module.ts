import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { FeishuErrorFilter } from './http/errors/feishu-error.filter.js';
import { GatewayGuard } from './http/gateway/gateway.guard.js';
import { MockFeishuSettings } from './config/mock-feishu.settings.js';
import { AuthController } from './http/identity/auth.controller.js';
import { OidcController } from './http/identity/oidc.controller.js';
import { TasksController } from './http/tasks/tasks.controller.js';
import { SubtasksController } from './http/tasks/subtasks.controller.js';
import { AttachmentsController } from './http/attachments/attachments.controller.js';
import { UploadInterceptor } from './http/attachments/upload.interceptor.js';
import { DownloadsController } from './http/downloads/downloads.controller.js';
import { ControlPlaneController } from './http/control-plane/control-plane.controller.js';
import { SandboxesController } from './http/control-plane/sandboxes.controller.js';
import { InspectorController } from './http/inspector/inspector.controller.js';
import { InspectorService } from './http/inspector/inspector.service.js';
import { SandboxRegistry } from './core/sandboxes/sandbox-registry.js';

export interface MockFeishuModuleOptions {
  settings: MockFeishuSettings;
  /**
   * Every sandbox and its use cases (built over the adapters: in memory or SQLite). Handlers take
   * the one the gateway found for each call, so Nest injects HTTP parts and the registry only.
   */
  sandboxes: SandboxRegistry;
}

@Module({})
export class MockFeishuModule {
  static forRoot({ settings, sandboxes }: MockFeishuModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: MockFeishuSettings, useValue: settings },
      { provide: SandboxRegistry, useValue: sandboxes },
      InspectorService,
      UploadInterceptor,
      { provide: APP_GUARD, useClass: GatewayGuard },
      { provide: APP_FILTER, useClass: FeishuErrorFilter },
    ];
    // Express tries routes in this order on every call, so the attachment routes, which carry
    // nearly all of a client's traffic, come first (findings.md: router time per GET).
    const controllers: Type[] = [
      AttachmentsController,
      DownloadsController,
      TasksController,
      SubtasksController,
      AuthController,
      OidcController,
    ];
    if (settings.controlPlane)
      controllers.push(SandboxesController, ControlPlaneController, InspectorController);
    return { module: MockFeishuModule, imports: [DiscoveryModule], providers, controllers };
  }
}
