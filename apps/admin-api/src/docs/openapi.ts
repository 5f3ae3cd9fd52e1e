import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const DOCS_PATH = 'docs';

/** `/docs` (Swagger UI) and `/docs-json` (the OpenAPI document), both open without a token. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Feishu attachments admin API')
    .setDescription(
      [
        'Operator API over Feishu (Lark) Task v2 attachments, on `@feishu-attachments/api-client`.',
        '',
        'Every route except `GET /health` needs `Authorization: Bearer <admin token>` (one of `ADMIN_API_TOKENS`).',
        'Calls act as the Feishu app unless `X-Feishu-User-Access-Token` names a user to act as.',
        'Errors are `{"error":{"status","message","feishu"?:{"code","msg","logId"}}}`.',
      ].join('\n'),
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'One of ADMIN_API_TOKENS' }, 'admin-token')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    customSiteTitle: 'Feishu attachments admin API',
  });
}
