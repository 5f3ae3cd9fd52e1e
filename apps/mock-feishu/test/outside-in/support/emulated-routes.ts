import 'reflect-metadata';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MockFeishuModule } from '../../../src/app.module.js';
import { ShiftableClock } from '../../../src/common/clock.js';
import { MockFeishuSettings } from '../../../src/mock-feishu.settings.js';
import type { MockFeishuStore } from '../../../src/store/mock-feishu.store.js';

/**
 * `METHOD /path` for every handler of the emulated surface (every controller the app module
 * mounts, minus the `/__mock` ones: see test/support/control-plane-routes.ts for those), read
 * from Nest's routing metadata with path parameters as `{name}`. A new emulated controller or
 * route is covered without touching the tests.
 */
export function emulatedRoutes(): string[] {
  // forRoot only wires values; nothing of the store is touched to list the controllers.
  const controllers = (MockFeishuModule.forRoot({
    settings: new MockFeishuSettings(),
    store: {} as MockFeishuStore,
    clock: new ShiftableClock(),
  }).controllers ?? []) as Type[];
  return controllers.flatMap(routesOf).filter((route) => !/^\w+ \/__mock(\/|$)/.test(route));
}

function routesOf(controller: Type): string[] {
  const asArray = (value: string | string[] | undefined) => (value === undefined ? [''] : [value].flat());
  const join = (...parts: string[]) => {
    const path = `/${parts
      .map((part) => part.replace(/^\/+|\/+$/g, ''))
      .filter(Boolean)
      .join('/')}`.replace(/:(\w+)/g, '{$1}');
    // A route declared with a trailing slash (the download URL) keeps it.
    return parts.at(-1)?.endsWith('/') && path !== '/' ? `${path}/` : path;
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

/** A route's path with every `{param}` filled with `value`. */
export const fillParams = (path: string, value = 'x'): string => path.replace(/\{\w+\}/g, value);
