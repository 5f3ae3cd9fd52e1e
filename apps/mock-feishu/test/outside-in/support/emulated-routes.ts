import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { MockFeishuModule } from '../../../src/app.module.js';
import { MockFeishuSettings } from '../../../src/config/mock-feishu.settings.js';
import type { SandboxRegistry } from '../../../src/core/sandboxes/sandbox-registry.js';
import { routesOf } from '../../support/control-plane-routes.js';

/**
 * `METHOD /path` for every handler of the emulated surface (every controller the app module
 * mounts, minus the `/__mock` ones: see test/support/control-plane-routes.ts for those), read
 * from Nest's routing metadata with path parameters as `{name}`. A new emulated controller or
 * route is covered without touching the tests.
 */
export function emulatedRoutes(): string[] {
  // forRoot only wires values; no sandbox is touched to list the controllers.
  const controllers = (MockFeishuModule.forRoot({
    settings: new MockFeishuSettings(),
    sandboxes: {} as SandboxRegistry,
  }).controllers ?? []) as Type[];
  return controllers.flatMap(routesOf).filter((route) => !/^\w+ \/__mock(\/|$)/.test(route));
}

/** A route's path with every `{param}` filled with `value`. */
export const fillParams = (path: string, value = 'x'): string => path.replace(/\{\w+\}/g, value);
