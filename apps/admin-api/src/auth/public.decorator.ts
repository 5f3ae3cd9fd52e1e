import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'admin-api:public';

/** A route anyone may call without an admin token (only `GET /health`). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
