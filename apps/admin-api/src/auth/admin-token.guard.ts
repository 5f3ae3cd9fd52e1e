import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AdminApiSettings } from '../admin-api.settings.js';
import { PUBLIC_ROUTE } from './public.decorator.js';

// Comparing fixed-length digests keeps the comparison's time independent of where the
// strings differ and of the configured tokens' lengths.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Every route needs `Authorization: Bearer <one of ADMIN_API_TOKENS>` unless marked @Public().
 * `/docs` and `/docs-json` are served outside Nest's router, so this guard never sees them.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly tokens: Buffer[];

  constructor(
    private readonly reflector: Reflector,
    settings: AdminApiSettings,
  ) {
    this.tokens = settings.adminTokens.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    if (!match) {
      throw new UnauthorizedException(
        header
          ? 'The Authorization header must be "Bearer <admin token>".'
          : 'Missing admin token: send "Authorization: Bearer <admin token>".',
      );
    }
    const presented = digest(match[1]);
    // Every configured token is compared, so the time taken does not tell which one matched.
    let accepted = false;
    for (const token of this.tokens) accepted = timingSafeEqual(presented, token) || accepted;
    if (!accepted) throw new UnauthorizedException('The admin token is not valid.');
    return true;
  }
}
