// panva's oidc-provider as an OAuth2 authorization server for the client credentials
// grant (RFC 6749 4.4), bound to 127.0.0.1 for the ingestion source tests.
// Usage: node oauth2_server.mjs <config.json>
// config: {port, scope, token_ttl, clients: [{client_id, client_secret, auth: basic|post}],
//          introspector: {client_id, client_secret}}
// Prints "READY <issuer>" once listening.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const method = { basic: 'client_secret_basic', post: 'client_secret_post' };

const provider = new Provider(issuer, {
  clients: [
    ...config.clients.map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: method[c.auth],
      scope: config.scope,
    })),
    {
      // the resource server (the test API) checks tokens through introspection
      client_id: config.introspector.client_id,
      client_secret: config.introspector.client_secret,
      grant_types: [],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  scopes: config.scope.split(' '),
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
  },
  ttl: { ClientCredentials: config.token_ttl },
});
provider.proxy = false;

const server = provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
