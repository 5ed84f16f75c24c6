// RFC 9110 §5.6.2 token characters, §5.6.4 quoted-string, §11.2 token68.
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;
// qdtext / quoted-pair content: HTAB, SP, VCHAR, obs-text. Anything else (CR, LF, NUL, DEL) is refused.
export const QUOTABLE = /^[\t\x20-\x7e\x80-\xff]*$/;
export const isTokenChar = (c: string): boolean => TOKEN.test(c);
export const isToken68Char = (c: string): boolean => /^[A-Za-z0-9._~+/-]$/.test(c);
