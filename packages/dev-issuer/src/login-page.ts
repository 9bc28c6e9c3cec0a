/**
 * The development issuer's HTML: the sign-in form of the authorization endpoint and the plain
 * pages for refused requests and sign-out. Every value is HTML-escaped; the form lists no users
 * and no password, and carries the authorization request back in hidden fields.
 */

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }
  main { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px;
         box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.25rem; margin-top: 0; }
  label { display: block; margin: 1rem 0 .25rem; }
  input[type=email], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; }
  button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; }
  p.note { color: #555; font-size: .85rem; }
  p[role=alert] { color: #b00020; }
`;

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>${body}</main></body>
</html>
`;

/**
 * The sign-in form. `request` holds the authorization request's parameters, posted back with the
 * credentials to `action`; `error` is shown above the form; `email` refills the email field.
 */
export const renderLoginPage = ({
  action,
  request,
  error,
  email = '',
}: {
  action: string;
  request: Record<string, string>;
  error?: string;
  email?: string;
}): string =>
  page(
    'Sign in · Tranche development issuer',
    `<h1>Sign in to Tranche</h1>
<p class="note">Development issuer: for local development and tests only.</p>
${error === undefined ? '' : `<p role="alert">${escapeHtml(error)}</p>`}
<form method="post" action="${escapeHtml(action)}">
${Object.entries(request)
  .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
  .join('\n')}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${escapeHtml(email)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );

/** A page with a heading and one paragraph (a refused request, or "signed out"). */
export const renderMessagePage = (title: string, message: string): string =>
  page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
