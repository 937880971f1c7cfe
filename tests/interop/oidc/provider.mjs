// A real OpenID provider for tests/interop/idp.rs: panva oidc-provider (OpenID Certified)
// over TLS on 127.0.0.1, issuing JWT access tokens by the client-credentials grant.
//
//   node provider.mjs CONFIG.json      serve; logs "oidc-provider listening on https://127.0.0.1:PORT"
//   node provider.mjs --new-key ALG KID  print a new private JWK (RS256 or ES256) on stdout
//
// CONFIG.json: {"port": 0 | a port (a restart keeps the issuer), "tls": {"key": PEM path,
// "cert": PEM path}, "alg": "RS256" | "ES256", "keys": [private JWKs; the first of the
// algorithm's type signs], "audience": the tokens' aud, "scope": the resource server's
// scopes, "clients": [{"client_id", "client_secret", "claims": {extra access-token claims:
// the provider shape}}]}. Nothing here reaches past loopback.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

if (process.argv[2] === '--new-key') {
  const [alg, kid] = process.argv.slice(3);
  const { privateKey } = alg === 'ES256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  process.stdout.write(JSON.stringify({ ...jwk, kid, alg, use: 'sig' }) + '\n');
  process.exit(0);
}

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const claimsOf = Object.fromEntries(cfg.clients.map((c) => [c.client_id, c.claims || {}]));
let handler = (req, res) => { res.statusCode = 503; res.end(); };
const server = createServer(
  { key: readFileSync(cfg.tls.key), cert: readFileSync(cfg.tls.cert) },
  (req, res) => handler(req, res),
);
server.listen(cfg.port || 0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `https://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: cfg.clients.map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
      // ES256 providers: without it every grant fails with invalid_client_metadata.
      id_token_signed_response_alg: cfg.alg,
    })),
    jwks: { keys: cfg.keys },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'urn:agentos:api',
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: cfg.scope,
          audience: cfg.audience,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: cfg.alg } },
        }),
      },
    },
    extraTokenClaims: async (ctx, token) => claimsOf[token.clientId] || {},
  });
  handler = provider.callback();
  console.log(`oidc-provider listening on https://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => process.exit(0));
