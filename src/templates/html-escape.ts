const SPECIAL = /[&<>"']/;
const SPECIAL_ALL = /[&<>"']/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and for double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (char) => ENTITIES[char] ?? char) : text;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;

/** Escapes plain text and turns the web addresses in it into links. */
export function escapeAndLink(text: string, linkStyle: string): string {
  if (!text.includes('://')) return escapeHtml(text);
  let html = '';
  let from = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    // A full stop or bracket after an address ends the sentence, not the address.
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    const safe = escapeHtml(url);
    html += `${escapeHtml(text.slice(from, match.index))}<a href="${safe}" style="${linkStyle}">${safe}</a>`;
    from = match.index + url.length;
  }
  return html + escapeHtml(text.slice(from));
}
