import { applyDecorators } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBearerAuth,
  ApiGatewayTimeoutResponse,
  ApiHeader,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../errors/error.dto.js';

/** What every route that calls Feishu has in common: the admin token, the user header, and Feishu's failures. */
export const FeishuBackedRoutes = () =>
  applyDecorators(
    ApiBearerAuth('admin-token'),
    ApiHeader({
      name: 'X-Feishu-User-Access-Token',
      required: false,
      description:
        "Act as this Feishu user (a user_access_token) instead of as the app; Feishu then applies that user's permissions. A rejected or expired token answers 401.",
    }),
    ApiUnauthorizedResponse({
      type: ErrorBodyDto,
      description: 'No or a wrong admin token, or Feishu rejected the X-Feishu-User-Access-Token',
    }),
    ApiTooManyRequestsResponse({
      type: ErrorBodyDto,
      description:
        "Feishu's rate limit, after the client's own retries; `Retry-After` says when to try again",
      headers: { 'Retry-After': { description: 'seconds', schema: { type: 'integer' } } },
    }),
    ApiBadGatewayResponse({
      type: ErrorBodyDto,
      description: "Feishu is unreachable, failed (5xx), or rejected this service's own credentials",
    }),
    ApiGatewayTimeoutResponse({ type: ErrorBodyDto, description: 'Feishu did not answer in time' }),
  );
