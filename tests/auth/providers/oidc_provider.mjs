// panva's oidc-provider (OpenID-certified for FAPI 2.0) configured like Singpass FAPI 2.0,
// bound to 127.0.0.1 for the auth tests. Usage: node oidc_provider.mjs <config.json>
// config: {port, client_id, redirect_uri, jwks_uri, provider_jwks: {keys: [private EC]},
//          require_dpop_nonce: bool, accounts: {sub: {claims}}}
// Prints "READY <issuer>" once listening.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Provider, { errors } from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const add = (list, ...values) => [...new Set([...list, ...values])];
const defaults = {
  enc: ['A128KW', 'A256KW', 'ECDH-ES', 'RSA-OAEP', 'RSA-OAEP-256', 'dir'],
  encEnc: ['A128CBC-HS256', 'A128GCM', 'A256CBC-HS512', 'A256GCM'],
  sig: ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'],
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: config.client_id,
      redirect_uris: [config.redirect_uri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks_uri: config.jwks_uri,
      require_pushed_authorization_requests: true,
      dpop_bound_access_tokens: true,
      id_token_signed_response_alg: 'ES256',
      id_token_encrypted_response_alg: 'ECDH-ES+A256KW',
      id_token_encrypted_response_enc: 'A256CBC-HS512',
      userinfo_signed_response_alg: 'ES256',
      userinfo_encrypted_response_alg: 'ECDH-ES+A256KW',
      userinfo_encrypted_response_enc: 'A256GCM',
    },
  ],
  jwks: config.provider_jwks,
  clientAuthMethods: ['private_key_jwt'],
  features: {
    fapi: { enabled: true, profile: '2.0' },
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
    dPoP: {
      enabled: true,
      nonceSecret: config.require_dpop_nonce ? randomBytes(32) : undefined,
      requireNonce: () => Boolean(config.require_dpop_nonce),
    },
    encryption: { enabled: true },
    jwtUserinfo: { enabled: true },
    userinfo: { enabled: true },
    devInteractions: { enabled: true },
  },
  enabledJWA: {
    clientAuthSigningAlgValues: ['ES256'],
    idTokenSigningAlgValues: add(defaults.sig, 'ES256'),
    userinfoSigningAlgValues: add(defaults.sig, 'ES256'),
    idTokenEncryptionAlgValues: add(defaults.enc, 'ECDH-ES+A256KW'),
    idTokenEncryptionEncValues: add(defaults.encEnc, 'A256CBC-HS512'),
    userinfoEncryptionAlgValues: add(defaults.enc, 'ECDH-ES+A256KW'),
    userinfoEncryptionEncValues: add(defaults.encEnc, 'A256GCM'),
    dPoPSigningAlgValues: ['ES256'],
  },
  // Singpass requires authentication_context_type on a Login app's PAR.
  extraParams: {
    authentication_context_type(ctx, value) {
      if (ctx.oidc.route === 'pushed_authorization_request' && !value) {
        throw new errors.InvalidRequest('authentication_context_type is required');
      }
    },
    authentication_context_message: null,
  },
  scopes: ['openid', 'name', 'uinfin'],
  claims: { openid: ['sub'], name: ['name'], uinfin: ['uinfin'] },
  async findAccount(ctx, sub) {
    const claims = (config.accounts || {})[sub] || {};
    return { accountId: sub, claims: async () => ({ sub, ...claims }) };
  },
  // Skip the consent prompt: grant what was asked (a headless test login).
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.params.scope);
    await grant.save();
    return grant;
  },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  // Since 2026 the library refuses special-use addresses; the client's jwks_uri is on
  // 127.0.0.1 here (panva's own certification setup overrides fetch the same way).
  fetch: (url, options) => {
    delete options.dispatcher;
    return globalThis.fetch(url, options);
  },
});

// oidc-provider verifies DPoP at PAR only when a proof is sent; Singpass requires one.
provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/request' && !ctx.get('dpop')) {
    ctx.status = 400;
    ctx.body = { error: 'invalid_dpop_proof', error_description: 'DPoP proof required' };
    return;
  }
  await next();
});

provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
