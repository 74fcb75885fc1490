"""Singpass login (FAPI 2.0 or legacy) from stateless Lambda functions chained by redirects.

Five handlers, one per function: :mod:`~runtime.auth.login` (pushed authorization request,
302 to the provider), :mod:`~runtime.auth.callback` (code → tokens, every check, session
cookie), :mod:`~runtime.auth.session` (``GET /auth/me``), :mod:`~runtime.auth.logout` and
:mod:`~runtime.auth.jwks` (the relying party's public keys). What survives a redirect
travels in a sealed cookie (:mod:`~runtime.auth.seal`); nothing is stored server-side.
JOSE is joserfc's; nothing here implements cryptography itself.
"""
