import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Clock, ShiftableClock } from './core/shared/clock.js';
import { FeishuErrorFilter } from './http/errors/feishu-error.filter.js';
import { GatewayGuard } from './http/gateway/gateway.guard.js';
import { MockFeishuSettings } from './config/mock-feishu.settings.js';
import { IdentityRepository } from './core/identity/identity.repository.js';
import { IdentityService } from './core/identity/identity.service.js';
import { AuthController } from './http/identity/auth.controller.js';
import { OidcController } from './http/identity/oidc.controller.js';
import { TaskRepository } from './core/tasks/task.repository.js';
import { TasksService } from './core/tasks/tasks.service.js';
import { TaskDependents } from './core/tasks/task-dependents.js';
import { TaskAttachments } from './core/attachments/task-attachments.js';
import { TasksController } from './http/tasks/tasks.controller.js';
import { SubtasksController } from './http/tasks/subtasks.controller.js';
import { AttachmentRepository } from './core/attachments/attachment.repository.js';
import { AttachmentsService } from './core/attachments/attachments.service.js';
import { AttachmentsController } from './http/attachments/attachments.controller.js';
import { PageTokenCodec } from './core/shared/page-token.js';
import { UploadInterceptor } from './http/attachments/upload.interceptor.js';
import { BlobStore } from './core/blobs/blob-store.js';
import { DownloadTokenRepository } from './core/downloads/download-token.repository.js';
import { DownloadUrlsService } from './core/downloads/download-urls.service.js';
import { DownloadsService } from './core/downloads/downloads.service.js';
import { DownloadsController } from './http/downloads/downloads.controller.js';
import { RateLimiterService } from './core/rate-limits/rate-limiter.service.js';
import { FaultsService } from './core/control-plane/faults.service.js';
import { JournalService } from './core/control-plane/journal.service.js';
import { MockFeishuSeeder } from './core/control-plane/mock-feishu.seeder.js';
import { ControlPlaneController } from './http/control-plane/control-plane.controller.js';
import { FeishuWirePresenter } from './http/presenters/feishu-wire.presenter.js';
import { TaskWirePresenter } from './http/presenters/task-wire.presenter.js';
import { ClockStateRepository } from './core/shared/clock-state.repository.js';
import type { MockFeishuStore } from './core/store/mock-feishu.store.js';
import { SnapshotExport } from './core/store/snapshot-export.js';
import { InspectorController } from './http/inspector/inspector.controller.js';
import { InspectorService } from './http/inspector/inspector.service.js';

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
      { provide: SnapshotExport, useValue: new SnapshotExport(store) },
      {
        provide: PageTokenCodec,
        useValue: new PageTokenCodec(
          settings.pageTokenSecret ?? store.pageTokenSecret ?? randomBytes(32).toString('hex'),
        ),
      },
      IdentityService,
      TasksService,
      { provide: TaskDependents, useClass: TaskAttachments },
      AttachmentsService,
      DownloadUrlsService,
      DownloadsService,
      RateLimiterService,
      FaultsService,
      JournalService,
      MockFeishuSeeder,
      FeishuWirePresenter,
      TaskWirePresenter,
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
    if (settings.controlPlane) controllers.push(ControlPlaneController, InspectorController);
    return { module: MockFeishuModule, imports: [DiscoveryModule], providers, controllers };
  }
}
