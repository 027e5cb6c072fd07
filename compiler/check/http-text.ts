/**
 * Where a string literal lands in an HTTP request, for the checks on URLs and headers
 * (E0124-E0126): which literals are URLs, header values or header names.
 *
 * @module
 */
import type { AstNode, StringLiteral, TemplateString } from '../../dsl/ast.ts';

/** The node's parent: the last ancestor. */
function parentOf(ancestors: readonly AstNode[]): AstNode | undefined {
  return ancestors[ancestors.length - 1];
}

/**
 * `url` for a request URL (data or token exchange), an OAuth2 `token_url` or the default of a
 * `url` setting; `header-value` for a request header's, the token header's or an auth header
 * template's value; otherwise
 * `undefined`.
 */
export function httpRole(
  node: TemplateString | StringLiteral,
  ancestors: readonly AstNode[],
): 'url' | 'header-value' | undefined {
  const parent = parentOf(ancestors);
  switch (parent?.kind) {
    case 'Request':
      return parent.url === node ? 'url' : undefined;
    case 'AuthOAuth2':
      return parent.tokenUrl === node ? 'url' : undefined;
    case 'Setting':
      return parent.default === node && parent.type.value === 'url' ? 'url' : undefined;
    case 'RequestParam':
      return parent.in === 'header' && parent.value === node ? 'header-value' : undefined;
    case 'TokenHeader':
      return parent.value === node ? 'header-value' : undefined;
    case 'AuthHeader':
      return parent.template === node ? 'header-value' : undefined;
    default:
      return undefined;
  }
}

/**
 * The literals that are HTTP header names: request headers (data and token exchange), the
 * `auth header` name, the token header's name, and the rate-limit `remaining`/`reset` headers.
 */
export function isHeaderName(node: StringLiteral, ancestors: readonly AstNode[]): boolean {
  const parent = parentOf(ancestors);
  switch (parent?.kind) {
    case 'RequestParam':
      return parent.in === 'header' && parent.name === node;
    case 'AuthHeader':
      return parent.header === node;
    case 'TokenHeader':
      return parent.name === node;
    case 'RateLimit':
      return parent.remaining === node || parent.reset === node;
    default:
      return false;
  }
}
