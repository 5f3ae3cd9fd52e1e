import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Clock, ShiftableClock } from './common/clock.js';
import { FeishuErrorFilter } from './feishu-errors/feishu-error.filter.js';
import { GatewayGuard } from './gateway/gateway.guard.js';
import { MockFeishuSettings } from './mock-feishu.settings.js';
import { IdentityRepository } from './identity/identity.repository.js';
import { IdentityService } from './identity/identity.service.js';
import { AuthController } from './identity/auth.controller.js';
import { OidcController } from './identity/oidc.controller.js';
import { TaskRepository } from './tasks/task.repository.js';
import { TasksService } from './tasks/tasks.service.js';
import { TasksController } from './tasks/tasks.controller.js';
import { AttachmentRepository } from './attachments/attachment.repository.js';
import { AttachmentsService } from './attachments/attachments.service.js';
import { AttachmentsController } from './attachments/attachments.controller.js';
import { PageTokenCodec } from './attachments/page-token.js';
import { UploadInterceptor } from './attachments/upload.interceptor.js';
import { BlobStore } from './blobs/blob-store.js';
import { DownloadTokenRepository } from './downloads/download-token.repository.js';
import { DownloadUrlsService } from './downloads/download-urls.service.js';
import { DownloadsController } from './downloads/downloads.controller.js';
import { RateLimiterService } from './rate-limits/rate-limiter.service.js';
import { FaultsService } from './control-plane/faults.service.js';
import { JournalService } from './control-plane/journal.service.js';
import { MockFeishuSeeder } from './control-plane/mock-feishu.seeder.js';
import { ControlPlaneController } from './control-plane/control-plane.controller.js';
import { FeishuWirePresenter } from './presentation/feishu-wire.presenter.js';
import { ClockStateRepository } from './store/clock-state.repository.js';
import { MOCK_FEISHU_STORE, type MockFeishuStore } from './store/mock-feishu.store.js';
import { InspectorController } from './inspector/inspector.controller.js';
import { InspectorService } from './inspector/inspector.service.js';

export interface MockFeishuModuleOptions {
  settings: MockFeishuSettings;
  /** The adapters behind every port: in memory or SQLite. */
  store: MockFeishuStore;
  clock: ShiftableClock;
}

@Module({})
export class MockFeishuModule {
  static forRoot({ settings, store, clock }: MockFeishuModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: MockFeishuSettings, useValue: settings },
      { provide: ShiftableClock, useValue: clock },
      { provide: Clock, useExisting: ShiftableClock },
      { provide: BlobStore, useValue: store.blobs },
      { provide: IdentityRepository, useValue: store.identities },
      { provide: TaskRepository, useValue: store.tasks },
      { provide: AttachmentRepository, useValue: store.attachments },
      { provide: DownloadTokenRepository, useValue: store.downloadTokens },
      { provide: ClockStateRepository, useValue: store.clockState },
      { provide: MOCK_FEISHU_STORE, useValue: store },
      {
        provide: PageTokenCodec,
        useValue: new PageTokenCodec(
          settings.pageTokenSecret ?? store.pageTokenSecret ?? randomBytes(32).toString('hex'),
        ),
      },
      IdentityService,
      TasksService,
      AttachmentsService,
      DownloadUrlsService,
      RateLimiterService,
      FaultsService,
      JournalService,
      MockFeishuSeeder,
      FeishuWirePresenter,
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
      AuthController,
      OidcController,
    ];
    if (settings.controlPlane) controllers.push(ControlPlaneController, InspectorController);
    return { module: MockFeishuModule, imports: [DiscoveryModule], providers, controllers };
  }
}
