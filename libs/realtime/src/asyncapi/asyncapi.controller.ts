import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@retail/auth';
import { buildAsyncApiDocument } from './asyncapi-document.js';
import { renderAsyncApiHtml } from './asyncapi-html.js';

/** Serves the AsyncAPI document of every namespace, event and command. */
@ApiExcludeController()
@Public()
@Controller()
export class AsyncApiController {
  private readonly document = buildAsyncApiDocument();
  private readonly html = renderAsyncApiHtml(this.document);

  @Get('asyncapi-json')
  json() {
    return this.document;
  }

  @Get('asyncapi')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page() {
    return this.html;
  }
}
