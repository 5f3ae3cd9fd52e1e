import 'reflect-metadata';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MockFeishuModule } from '../../src/app.module.js';
import { MockFeishuSettings } from '../../src/config/mock-feishu.settings.js';
import type { SandboxRegistry } from '../../src/core/sandboxes/sandbox-registry.js';

/**
 * `METHOD /path` for every handler of the `/__mock` controllers the app module mounts, read from
 * Nest's routing metadata (path parameters as `{name}`), so a test over "every control-plane
 * route" cannot miss a new route, nor a new controller.
 */
export function controlPlaneRoutes(): string[] {
  // forRoot only wires values; no sandbox is touched to list the controllers.
  const controllers = (MockFeishuModule.forRoot({
    settings: new MockFeishuSettings(),
    sandboxes: {} as SandboxRegistry,
  }).controllers ?? []) as Type[];
  return controllers.flatMap(routesOf).filter((route) => /^\w+ \/__mock(\/|$)/.test(route));
}

/** `METHOD /path` for every handler of one Nest controller, read from its routing metadata. */
export function routesOf(controller: Type): string[] {
  const asArray = (value: string | string[] | undefined) => (value === undefined ? [''] : [value].flat());
  const join = (...parts: string[]) => {
    const path = `/${parts
      .map((part) => part.replace(/^\/+|\/+$/g, ''))
      .filter(Boolean)
      .join('/')}`.replace(/:(\w+)/g, '{$1}');
    // A route declared with a trailing slash (the download URL) keeps it; a bare @Get() ('/') adds none.
    const last = parts.at(-1) ?? '';
    return last !== '/' && last.endsWith('/') && path !== '/' ? `${path}/` : path;
  };
  const bases = asArray(Reflect.getMetadata(PATH_METADATA, controller));
  const prototype = controller.prototype as Record<string, unknown>;
  const routes: string[] = [];
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value;
    if (name === 'constructor' || typeof handler !== 'function') continue;
    const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
    if (paths === undefined) continue;
    const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
    for (const base of bases) for (const path of asArray(paths)) routes.push(`${method} ${join(base, path)}`);
  }
  return routes;
}
