/** HTML that is already safe to insert (built by {@link html}). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

type Value = SafeHtml | string | number | undefined | null | false | readonly Value[];

function render(value: Value): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: every interpolated value is escaped unless it is {@link SafeHtml}. */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0] ?? '';
  for (const [i, value] of values.entries()) out += render(value) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

const DEMO_TRUST_BANNER = html`<div class="demo-banner" role="note" data-testid="demo-trust">
  <strong>Demo trust.</strong> This server runs in demo mode: the virtual security key of Chrome's DevTools
  (WebAuthn panel) counts as a certified security key, so you can try the high level without one.
  Never use demo mode for real money.
</div>`;

/**
 * The page shell: header, main card, footer, the stylesheet and the page script (no inline code), and
 * with `demoTrust` the banner that says the server runs in demo mode.
 */
export function layout(input: {
  title: string;
  body: SafeHtml;
  scripts?: boolean;
  demoTrust?: boolean;
}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} · Stepup Bank</title>
<link rel="stylesheet" href="/assets/bank.css">
${
  input.scripts === false
    ? ''
    : html`<script src="/assets/simplewebauthn-browser.js" defer></script>
<script src="/assets/bank.js" defer></script>`
}
</head>
<body>
<header class="topbar">
  <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">S</span>Stepup Bank</a>
  <span class="secure">Secure sign-in</span>
</header>
${input.demoTrust ? DEMO_TRUST_BANNER : ''}
<main class="page">
${input.body}
</main>
<footer class="footer">
  <p>Stepup Bank never asks for your password: we use passkeys and security keys.</p>
  <p>This is a demonstration bank. No real money moves.</p>
</footer>
</body>
</html>
`.value;
}
