/**
 * The `private_key_jwt` client assertion of an OAuth2 token request (compiler/ir.ts `AuthIR`
 * `oauth2_client_credentials` `privateKey`): a JWT (RFC 7519) signed with the client's private
 * key, as RFC 7523 §2.2 and §3 and OpenID Connect Core 1.0 §9 define it and Okta's service apps
 * use it (https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/).
 * Signed with Node's `crypto` (https://nodejs.org/docs/latest-v20.x/api/crypto.html#cryptosignalgorithm-data-key-callback):
 * RS256 (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3) for an RSA key of at least 2048 bits,
 * ES256 (ECDSA P-256 with SHA-256, the signature as `r || s`, RFC 7518 §3.4) for an EC P-256 key.
 *
 * The key and every assertion are credentials: no message here holds either (a key that cannot
 * be read is named by its secret only, never quoted, and crypto's own error text is not kept).
 *
 * @module
 */
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { CLIENT_ASSERTION_LIFETIME_SECONDS } from '../compiler/ir.ts';
import { CollectError } from './errors.ts';

/** The `client_assertion_type` of a JWT assertion (RFC 7523 §2.2). */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** A client's private key, ready to sign. */
export interface ClientKey {
  readonly key: KeyObject;
  readonly alg: 'RS256' | 'ES256';
  /** The JWK's `kid`, sent in the JWT header so that the server picks the public key. */
  readonly kid?: string;
}

/**
 * Reads the private key a secret holds: a private JWK (a JSON object with `kty` and `d`,
 * RFC 7517) or a PEM (PKCS #8 `PRIVATE KEY`, PKCS #1 `RSA PRIVATE KEY`, SEC 1 `EC PRIVATE KEY`).
 * @throws CollectError E0802 when the text is no private key, or one of another kind or size
 */
export function readClientKey(text: string, secretName: string): ClientKey {
  const trimmed = text.trim();
  let key: KeyObject;
  let kid: string | undefined;
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as Record<string, unknown>;
      if (typeof jwk !== 'object' || jwk === null || typeof jwk['d'] !== 'string') throw new Error('not a private JWK');
      if (typeof jwk['kid'] === 'string' && jwk['kid'] !== '') kid = jwk['kid'];
      key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    } else {
      key = createPrivateKey(trimmed);
    }
  } catch {
    // crypto's message could quote part of the input: only the secret's name is said.
    throw new CollectError('E0802', `secret ${secretName} is not a private key (a private JWK or a PEM)`);
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048) {
    return { key, alg: 'RS256', ...(kid !== undefined ? { kid } : {}) };
  }
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') {
    return { key, alg: 'ES256', ...(kid !== undefined ? { kid } : {}) };
  }
  throw new CollectError(
    'E0802',
    `secret ${secretName} holds a private key private_key_jwt cannot sign with: an RSA key of 2048 bits or more (RS256) or an EC P-256 key (ES256) is needed`,
  );
}

const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/**
 * A fresh client assertion: header `{alg, typ: "JWT", kid?}`, claims `iss` = `sub` = the client
 * id, `aud` = the token URL, a random `jti`, `iat` = `nowMs` in seconds and `exp` =
 * `iat + CLIENT_ASSERTION_LIFETIME_SECONDS`; JWS compact serialization (RFC 7515 §7.1).
 */
export function clientAssertion(client: ClientKey, clientId: string, tokenUrl: string, nowMs: number): string {
  const header = { alg: client.alg, typ: 'JWT', ...(client.kid !== undefined ? { kid: client.kid } : {}) };
  const iat = Math.floor(nowMs / 1000);
  const claims = {
    iss: clientId,
    sub: clientId,
    aud: tokenUrl,
    jti: randomUUID(),
    iat,
    exp: iat + CLIENT_ASSERTION_LIFETIME_SECONDS,
  };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const data = Buffer.from(input, 'ascii');
  const signature =
    client.alg === 'RS256'
      ? sign('sha256', data, client.key)
      : sign('sha256', data, { key: client.key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
