import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { SandboxRegistry } from '../../core/sandboxes/sandbox-registry.js';
import type { Sandbox } from '../../core/sandboxes/sandbox.js';
import { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { ControlPlaneSchemas as schemas, parseControl as parse } from './control-plane.schemas.js';
import { SANDBOX_CONTROL_PREFIX } from '../gateway/sandbox-scope.middleware.js';

/**
 * `/__mock/sandboxes`: isolated tenants in this emulator. Each is steered through its own control
 * base, `/__mock/sandboxes/<id>`, under which every `/__mock` route works on that sandbox alone.
 */
@Controller('__mock/sandboxes')
export class SandboxesController {
  constructor(
    private readonly sandboxes: SandboxRegistry,
    private readonly settings: MockFeishuSettings,
  ) {}

  /** A new sandbox with its own app: the only answer that carries the app's secret. */
  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown) {
    const input = parse(schemas.sandbox, body);
    const sandbox = await this.sandboxes.create({
      name: input.name,
      app:
        input.app_id === undefined ? undefined : { appId: input.app_id, appSecret: input.app_secret ?? '' },
    });
    return { ...this.wire(sandbox), app_secret: sandbox.info.app.appSecret };
  }

  @Get()
  list() {
    return {
      items: this.sandboxes.list().map((sandbox) => this.wire(sandbox)),
      limit: this.settings.maxSandboxes,
    };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.wire(this.require(id));
  }

  @Delete(':id')
  async delete(@Param('id') id: string) {
    const sandbox = this.require(id);
    if (sandbox === this.sandboxes.defaultSandbox) {
      throw FeishuErrors.invalidRequest(
        'The default sandbox cannot be deleted; reset it with POST /__mock/reset.',
      );
    }
    await this.sandboxes.delete(id);
    return { id, deleted: true };
  }

  private require(id: string): Sandbox {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) throw FeishuErrors.sandboxNotFound(id.slice(0, 64));
    return sandbox;
  }

  private wire(sandbox: Sandbox) {
    const controlPath = `${SANDBOX_CONTROL_PREFIX}/${sandbox.id}`;
    return {
      id: sandbox.id,
      ...(sandbox.info.name === undefined ? {} : { name: sandbox.info.name }),
      default: sandbox === this.sandboxes.defaultSandbox,
      created_at: sandbox.info.createdAt,
      app_id: sandbox.info.app.appId,
      control_url: `${this.settings.publicUrl}${controlPath}`,
    };
  }
}
