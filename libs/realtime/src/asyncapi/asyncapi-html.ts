import type { buildAsyncApiDocument } from './asyncapi-document.js';

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A self-contained page (no CDN): one section per namespace, each message with its JSON schema. */
export function renderAsyncApiHtml(doc: ReturnType<typeof buildAsyncApiDocument>): string {
  const messages = doc.components.messages as Record<string, { name: string; summary?: string; payload: unknown }>;
  const sections = Object.values(
    doc.channels as Record<string, { address: string; description: string; messages: Record<string, { $ref: string }> }>,
  )
    .map((channel) => {
      const items = Object.values(channel.messages)
        .map((ref) => messages[ref.$ref.split('/').pop()!])
        .map(
          (m) =>
            `<details><summary><code>${escape(m.name)}</code> ${escape(m.summary ?? '')}</summary><pre>${escape(JSON.stringify(m.payload, null, 2))}</pre></details>`,
        )
        .join('\n');
      return `<h2><code>${escape(channel.address)}</code></h2><p>${escape(channel.description)}</p>${items}`;
    })
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(doc.info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}pre{background:#f5f5f5;padding:.75rem;overflow:auto}summary{cursor:pointer;margin:.4rem 0}</style>
</head><body><h1>${escape(doc.info.title)} <small>AsyncAPI ${doc.asyncapi}</small></h1>
<p>${escape(doc.info.description).replace(/\n/g, ' ')}</p><p><a href="/asyncapi-json">/asyncapi-json</a> · <a href="/docs">REST API (Swagger)</a></p>
${sections}</body></html>`;
}
