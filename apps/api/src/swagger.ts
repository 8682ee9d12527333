import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs, JSON at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Retail Realtime API')
    .setDescription(
      'REST API of the retail realtime backbone. Live events (POS, inventory, alerts, chat) are documented as ' +
        'AsyncAPI at [/asyncapi](/asyncapi) and [/asyncapi-json](/asyncapi-json). Every error body is `ErrorResponse`: ' +
        'branch on its `code`, never on `message`.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
