// @opengovsg/mockpass (Singpass v2, the legacy flow) bound to 127.0.0.1 for the auth tests.
// Usage: SP_RP_JWKS_ENDPOINT=... SHOW_LOGIN_PAGE=false MOCKPASS_NRIC=... node mockpass.cjs <port>
// Prints "READY <issuer>" once listening. mockpass's own index.js binds every interface.
const { app } = require('@opengovsg/mockpass/app.js');

const port = Number(process.argv[2]);
const server = app.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY http://127.0.0.1:${port}/singpass/v2\n`);
});
server.on('error', (error) => {
  process.stderr.write(`${error}\n`);
  process.exit(1);
});
