import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ControlPlaneController } from '../../src/control-plane/control-plane.controller.js';
import { InspectorController } from '../../src/inspector/inspector.controller.js';

/**
 * `METHOD /path` for every handler of the `/__mock` controllers, read from Nest's routing metadata
 * (path parameters as `{name}`), so a test over "every control-plane route" cannot miss a new one.
 */
export function controlPlaneRoutes(): string[] {
  return [ControlPlaneController, InspectorController].flatMap(routesOf);
}

function routesOf(controller: typeof ControlPlaneController | typeof InspectorController): string[] {
  const asArray = (value: string | string[] | undefined) => (value === undefined ? [''] : [value].flat());
  const join = (...parts: string[]) =>
    `/${parts
      .map((part) => part.replace(/^\/+|\/+$/g, ''))
      .filter(Boolean)
      .join('/')}`.replace(/:(\w+)/g, '{$1}');
  const bases = asArray(Reflect.getMetadata(PATH_METADATA, controller));
  const prototype = controller.prototype as unknown as Record<string, unknown>;
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
