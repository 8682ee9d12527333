import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@retail/auth';
import { AppError } from '@retail/common';
import { AppConfig } from '@retail/config';
import { buildAsyncApiDocument } from './asyncapi-document.js';
import { renderAsyncApiHtml } from './asyncapi-html.js';

/** Serves the AsyncAPI document of every namespace, event and command; 404 with DOCS_ENABLED=false. */
@ApiExcludeController()
@Public()
@Controller()
export class AsyncApiController {
  private readonly document = buildAsyncApiDocument();
  private readonly html = renderAsyncApiHtml(this.document);

  constructor(private readonly config: AppConfig) {}

  @Get('asyncapi-json')
  json() {
    this.assertEnabled();
    return this.document;
  }

  @Get('asyncapi')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page() {
    this.assertEnabled();
    return this.html;
  }

  private assertEnabled() {
    if (!this.config.http.docsEnabled) throw AppError.notFound('Route');
  }
}
