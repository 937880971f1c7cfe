
use builtin;
use str;

set edit:completion:arg-completer[agentos-auth] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'agentos-auth'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'agentos-auth'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand keygen 'Generate a key pair (RS256, ES256) or an HS256 secret'
            cand export 'Print a public key as PEM, JWK, JWKS or env/.env lines'
            cand mint 'Mint a token AgentOS accepts'
            cand jwks 'Manage the JWKS file AgentOS reads (JWT_JWKS_FILE)'
            cand inspect 'Decode a token without verifying it: header, claims, times'
            cand verify 'What AgentOS (agno 2.3.13 to 3.1.10) answers to a token, and why'
            cand doctor 'Check the key settings AgentOS reads from its environment'
            cand scopes 'Scope reference and mint presets; a role''s or subject''s scopes'
            cand serve 'Run the OAuth token service: AgentOS tokens for clients'
            cand clients 'Manage the OAuth clients of `serve` (in the key store)'
            cand completions 'Print a shell completion script on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentos-auth;keygen'= {
            cand --alg 'Algorithm the key is for [default: RS256, AgentOS''s default; asked at a terminal]'
            cand --bits 'RSA key size in bits'
            cand --kid 'Key id [default: the RFC 7638 thumbprint of the public key]'
            cand --aud 'AgentOS id to use as the default audience of minted tokens (store only)'
            cand --sub 'Default subject of minted tokens (store only)'
            cand --out-dir 'Write the files into this directory instead of the key store (a key inside a PKCS#11 token: --token)'
            cand --name 'File name stem with --out-dir: NAME.key.pem, NAME.pub.pem, NAME.secret'
            cand --token 'Create the key pair inside the PKCS#11 token this URI names (RS256/ES256; object= labels it, default the kid) and record it in the key store'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --force 'Replace existing key files'
            cand --encrypt 'Write the private key encrypted: PKCS#8 with PBKDF2-HMAC-SHA256 (600,000 iterations) and AES-256-CBC; the password comes from --password-file or is asked'
            cand --json 'Print {"alg","kid","private_key","public_key"} on stdout'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;export'= {
            cand --key 'Key file (private or public PEM, JWK, or HS256 secret), - for stdin [default: the store''s signing key]'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --kid 'kid for jwk/jwks output [default: the store''s kid, else the thumbprint]'
            cand --alg 'Algorithm of the key file (needed to read a raw HS256 secret not named *.secret)'
            cand --var 'Variable name for env/dotenv'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --include-secret 'Allow printing an HS256 secret (env, dotenv, jwk)'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'agentos-auth;mint'= {
            cand --key 'Signing key file (PEM, JWK or HS256 secret), - for stdin [default: the store''s signing key]'
            cand --key-dir 'Sign with the current key of this key ring (keyring.json), its kid in the header'
            cand --jwks 'With --key-dir: check that this JWKS publishes the signing key (else AgentOS answers 401)'
            cand --key-content 'Signing key content itself (for CI secrets); --key wins'
            cand --sub 'Subject (user id) [default: the store''s, else the OS user name]'
            cand --aud 'Audience: the AgentOS id (repeat for a list) [default: the store''s]'
            cand -s 'Scopes, comma-separated and/or repeated, e.g. agents:read,agents:my-agent:run'
            cand --scopes 'Scopes, comma-separated and/or repeated, e.g. agents:read,agents:my-agent:run'
            cand --preset 'Scope preset (see `agentos-auth scopes`): admin, read-only, run-agent:<id>, ..., role:<name> (a stored role''s scopes)'
            cand --roles 'Roles for a server with managed roles (Authorization(roles_claim=...)), comma-separated and/or repeated'
            cand --roles-claim 'Claim --roles goes in: the server''s roles_claim; "role" takes one role as a string [default: the store''s, else roles]'
            cand --agno 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)'
            cand --scope-mappings 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)'
            cand -e 'Lifetime [default: 1h, or the store''s]'
            cand --expires-in 'Lifetime [default: 1h, or the store''s]'
            cand --exp 'Absolute expiry time instead of --expires-in'
            cand --iss 'Issuer claim'
            cand --nbf 'Not-before: a duration from now or a time'
            cand --jti 'Add a jti claim (random unless given)'
            cand --session-id 'session_id claim (AgentOS uses it as the session id)'
            cand --claim 'Extra claim; VALUE is JSON if it parses, else a string (repeatable)'
            cand --claims 'Extra claims as a JSON object, or @FILE'
            cand --kid 'kid header [default: the store''s kid, else the key''s thumbprint]'
            cand --alg 'Algorithm; must match the key (needed to read a raw HS256 secret not named *.secret)'
            cand --batch 'Mint one token per line of FILE (- for stdin): each line a JSON object of claims overriding the flags'' defaults, plus "expires_in"; output in input order'
            cand --bad 'Mint a token AgentOS refuses, for negative tests (docs/pytest.md): the flags'' token, then broken this one way'
            cand --url 'Take aud from this running AgentOS (the os_id its GET /info reports) when --aud is not given'
            cand --timeout 'With --url: seconds to wait for the answer'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --no-scopes 'Mint a token with an empty scopes list on purpose (AgentOS answers 403 to every protected route)'
            cand --allow-unknown-scopes 'Accept scopes outside AgentOS''s default route map'
            cand --no-exp 'Mint a token that never expires (AgentOS accepts it forever)'
            cand --no-iat 'Leave out iat'
            cand --json 'Print {"token","header","claims","expires_at"} instead of the bare token'
            cand --stream 'With --batch: answer line by line, each token written and flushed as soon as its line is read (a program keeps the process and asks for one token at a time)'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'agentos-auth;jwks'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List the keys of a JWKS: kid, algorithm, size or curve, which one signs now'
            cand add 'Publish the public part of a key (private or public PEM, or a JWK) in a JWKS'
            cand remove 'Remove one key by kid from the JWKS and the key ring; its files move to DIR/removed/'
            cand rotate 'Make a new signing key: private key into the key directory, public JWK into the JWKS'
            cand use 'Make a key of the ring the signing key (e.g. one published with rotate --stage)'
            cand prune 'Drop old keys of the ring from the JWKS (never the signing key)'
            cand sync 'Copy an identity provider''s signing keys into a JWKS file AgentOS reads (keys of other sources in the file stay)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentos-auth;jwks;list'= {
            cand --jwks 'JWKS file (what AgentOS reads as JWT_JWKS_FILE) [default: the key store''s jwks.json]'
            cand --key-dir 'Key directory with keyring.json and the private keys [default: the key store''s keys/ when --jwks is not given or is the store''s jwks.json; else none]'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --json 'Print {"keys":[{"kid","alg","signing",...}],...} on stdout'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;jwks;add'= {
            cand --jwks 'JWKS file (what AgentOS reads as JWT_JWKS_FILE) [default: the key store''s jwks.json]'
            cand --key-dir 'Key directory with keyring.json and the private keys [default: the key store''s keys/ when --jwks is not given or is the store''s jwks.json; else none]'
            cand --key 'Key file: private or public PEM, or a JWK; - for stdin'
            cand --kid 'kid [default: the JWK''s kid, else the RFC 7638 thumbprint]'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --json 'Print {"kid","added","jwks"} on stdout'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;jwks;remove'= {
            cand --jwks 'JWKS file (what AgentOS reads as JWT_JWKS_FILE) [default: the key store''s jwks.json]'
            cand --key-dir 'Key directory with keyring.json and the private keys [default: the key store''s keys/ when --jwks is not given or is the store''s jwks.json; else none]'
            cand --kid 'kid of the key to remove'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --force 'Remove even the key that signs now, or the last key (mint then has no key until the next rotate; AgentOS does not start with an empty JWKS)'
            cand --json 'Print {"kid","was_signing","from_jwks","from_keyring","moved"} on stdout'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;jwks;rotate'= {
            cand --jwks 'JWKS file that publishes the ring''s public keys [default: the key store''s jwks.json]'
            cand --key-dir 'Key directory: private keys (0600) and keyring.json [default: the key store''s keys/]'
            cand --alg 'Algorithm of the new key [default: the current signing key''s, else RS256]'
            cand --bits 'RSA key size in bits'
            cand --kid 'kid of the new key [default: its RFC 7638 thumbprint]'
            cand --token 'Create the new key pair inside the PKCS#11 token this URI names (object= labels it, default the kid) [default: the token of the current signing key, if any]'
            cand --keep 'Afterwards keep only the N newest keys of the ring (the new one counts); a key that stopped signing within the token lifetime is kept anyway'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --stage 'Publish the new key but keep signing with the current one; switch later with `jwks use --kid KID`, after AgentOS has reloaded the JWKS'
            cand --ignore-token-lifetime 'With --keep: drop keys even when they stopped signing less than a token lifetime ago (the store''s expires_in, else 1h); tokens they signed then get 401'
            cand --json 'Print {"kid","alg","previous_kid","signing_kid","staged","private_key","public_key","jwks","pruned"} on stdout'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;jwks;use'= {
            cand --jwks 'JWKS file that publishes the ring''s public keys [default: the key store''s jwks.json]'
            cand --key-dir 'Key directory: private keys (0600) and keyring.json [default: the key store''s keys/]'
            cand --kid 'kid of the key to sign with from now on'
            cand --url 'Switch only if the AgentOS at URL verifies the key''s tokens (a probe token of KID, no scopes); repeat for several servers: all must'
            cand --timeout 'Seconds each --url server has to answer'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --force 'Switch even when a --url server cannot verify the key (its tokens get 401 there until it restarts)'
            cand --json 'Print {"kid","previous_kid"} on stdout; with --url also "servers":[{"url","status","detail","verifies"}]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;jwks;prune'= {
            cand --jwks 'JWKS file that publishes the ring''s public keys [default: the key store''s jwks.json]'
            cand --key-dir 'Key directory: private keys (0600) and keyring.json [default: the key store''s keys/]'
            cand --older-than 'Drop keys that stopped signing more than DUR ago (30s, 15m, 24h, 7d, 2w)'
            cand --keep 'Keep the N newest keys (the signing key counts)'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --ignore-token-lifetime 'Drop keys even when they stopped signing less than a token lifetime ago (the store''s expires_in, else 1h); tokens they signed then get 401'
            cand --json 'Print {"pruned":[...],"spared":[...]} on stdout'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;jwks;sync'= {
            cand --from 'The provider''s issuer URL (or its discovery URL), or its JWKS URL; https (plain http only to a loopback address)'
            cand --jwks 'JWKS file to keep in sync (what AgentOS reads as jwks_file / JWT_JWKS_FILE); created when missing'
            cand --alg 'The algorithm AgentOS verifies (JWTMiddleware''s algorithm), RS256 or ES256: only keys usable with it are copied'
            cand --ca-file 'PEM file of the CA that signed the provider''s certificate: trusted instead of the system''s roots'
            cand --timeout 'Seconds each request to the provider has'
            cand --on-change 'Run CMD (with sh -c) after a sync that changed FILE; its failure is exit 5'
            cand --watch 'Keep syncing: every DUR (30s, 15m, 1h), sooner when the provider''s Cache-Control max-age is shorter (never below 60s); stops on SIGTERM or Ctrl-C'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --json 'Print {"changed","added","removed","dropped"} on stdout (one line per sync)'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;jwks;help'= {
            cand list 'List the keys of a JWKS: kid, algorithm, size or curve, which one signs now'
            cand add 'Publish the public part of a key (private or public PEM, or a JWK) in a JWKS'
            cand remove 'Remove one key by kid from the JWKS and the key ring; its files move to DIR/removed/'
            cand rotate 'Make a new signing key: private key into the key directory, public JWK into the JWKS'
            cand use 'Make a key of the ring the signing key (e.g. one published with rotate --stage)'
            cand prune 'Drop old keys of the ring from the JWKS (never the signing key)'
            cand sync 'Copy an identity provider''s signing keys into a JWKS file AgentOS reads (keys of other sources in the file stay)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentos-auth;jwks;help;list'= {
        }
        &'agentos-auth;jwks;help;add'= {
        }
        &'agentos-auth;jwks;help;remove'= {
        }
        &'agentos-auth;jwks;help;rotate'= {
        }
        &'agentos-auth;jwks;help;use'= {
        }
        &'agentos-auth;jwks;help;prune'= {
        }
        &'agentos-auth;jwks;help;sync'= {
        }
        &'agentos-auth;jwks;help;help'= {
        }
        &'agentos-auth;inspect'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --json 'Print {"header","claims","times","scopes"} as JSON'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;verify'= {
            cand --key 'Static verification key file, as AgentOS gets it (PEM public key or HS256 secret); repeatable, tried in order'
            cand --jwks 'JWKS file (AgentOS''s jwks_file / JWT_JWKS_FILE)'
            cand --alg 'The algorithm AgentOS is configured with (it accepts only this one) [default: HS256 for a --key *.secret, else the key store''s alg (what keygen told AgentOS to use), else RS256 as AgentOS; with --url, the alg of a token the server verified]'
            cand --aud 'Check aud as verify_audience=True does, against this id (repeat for a list)'
            cand --env-file 'Without --key/--jwks: JWT_VERIFICATION_KEY and JWT_JWKS_FILE from this .env file, read as python-dotenv and uvicorn --env-file read it (its values win over this shell''s)'
            cand --iss 'Issuer AgentOS pins (Authorization(issuer=...))'
            cand --request 'Also check the token''s scopes for this route, e.g. "POST /agents/my-agent/runs"'
            cand --at 'Pretend the server''s clock says TIME (RFC 3339, @UNIX, +1h, -5m)'
            cand --body 'With --request: the JSON body it sends (or @FILE), for routes whose handler checks it (POST /eval-runs, POST /schedules, an MCP tools/call on POST /mcp with --mcp); sent to the server with --url'
            cand --sent-in 'Where the request carries the token: header (Authorization: Bearer), cookie (the server''s --cookie-name) or cookie:NAME [default: where the server reads it]'
            cand --agno 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)'
            cand --scope-mappings 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)'
            cand --routes 'The server''s OpenAPI document (curl HOST/openapi.json > routes.json): a route it lacks gets 404'
            cand --mount-prefix 'AgentOS is mounted under this path of a larger app (app.mount("/api", agent_os.get_app())): --request paths are then whole, e.g. "GET /api/agents"'
            cand --public-agent 'PublicSurface(agents=[...]) selects this agent: anyone may run and cancel it without a token; repeatable'
            cand --public-team 'PublicSurface(teams=[...]) selects this team: anyone may run and cancel it without a token; repeatable'
            cand --scopes-claim 'JWTMiddleware(scopes_claim=NAME): the top-level claim holding the scopes, e.g. permissions (Auth0 RBAC, WorkOS) or scp (Okta) [default: scopes]'
            cand --user-id-claim 'JWTMiddleware(user_id_claim=NAME): the claim holding the user id, e.g. oid (Entra ID) [default: sub]'
            cand --token-source 'JWTMiddleware(token_source=...): where the server reads the token: header, cookie, or both (header first) [default: header]'
            cand --cookie-name 'JWTMiddleware(cookie_name=NAME): the cookie read with --token-source cookie or both [default: access_token]'
            cand --roles-file 'The server''s managed roles (docs/roles.md) [default: the key store''s roles.json, if any]'
            cand --url 'Ask the running AgentOS too: send --request (default GET /agents) with the token and print its real answer next to the prediction'
            cand --timeout 'With --url: seconds to wait for each answer'
            cand --authz-token 'With --url: an admin token to read the server''s roles from its /authz API (switches from --roles-file)'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --no-verify-aud 'Do not check aud (AgentOS''s default, verify_audience=False)'
            cand --no-token 'Ask about a request without any token (what --request gets with no Authorization header)'
            cand --no-authorization 'The server runs with a key but authorization=False: tokens are validated, no scope is checked'
            cand --mcp 'The server runs AgentOS''s MCP server (AgentOS(mcp=True); enable_mcp_server=True before agno 3.0): /mcp and its routes are served, though GET /openapi.json does not list them'
            cand --public 'The server has AgentOS(public=PublicSurface(...)) (agno 3.0.9 on): anonymous GET /agents, /teams, /info; implied by the --public-* flags'
            cand --public-mcp 'PublicSurface(mcp=True): anyone may use the MCP server at /mcp (implies --mcp)'
            cand --no-roles 'Decide on scopes alone, ignoring the key store''s roles.json'
            cand --send 'With --url: really send a request that is not GET (it runs or changes things on the server when it is let through)'
            cand --json 'Print {"status","reason","detail","fix"} as JSON on stdout (with --url: plus "agree", "server", "predicted")'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;doctor'= {
            cand --alg 'The algorithm the AgentOS code configures (env vars cannot set it) [default: the key store''s alg (what keygen told AgentOS to use), else RS256 as AgentOS; with --url, the alg of a token the server verified]'
            cand --os-id 'The AgentOS id; with it, aud is checked as verify_audience=True does'
            cand --env-file 'Check the variables of this .env file, read as python-dotenv and uvicorn --env-file read it (its values win over this shell''s)'
            cand --token 'Also verify this token under this environment (- reads stdin)'
            cand --request 'With --token: the route to check scopes for, e.g. "GET /agents"'
            cand --agno 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)'
            cand --scope-mappings 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)'
            cand --routes 'The server''s OpenAPI document (curl HOST/openapi.json > routes.json): a route it lacks gets 404'
            cand --mount-prefix 'AgentOS is mounted under this path of a larger app (app.mount("/api", agent_os.get_app())): --request paths are then whole, e.g. "GET /api/agents"'
            cand --public-agent 'PublicSurface(agents=[...]) selects this agent: anyone may run and cancel it without a token; repeatable'
            cand --public-team 'PublicSurface(teams=[...]) selects this team: anyone may run and cancel it without a token; repeatable'
            cand --scopes-claim 'JWTMiddleware(scopes_claim=NAME): the top-level claim holding the scopes, e.g. permissions (Auth0 RBAC, WorkOS) or scp (Okta) [default: scopes]'
            cand --user-id-claim 'JWTMiddleware(user_id_claim=NAME): the claim holding the user id, e.g. oid (Entra ID) [default: sub]'
            cand --token-source 'JWTMiddleware(token_source=...): where the server reads the token: header, cookie, or both (header first) [default: header]'
            cand --cookie-name 'JWTMiddleware(cookie_name=NAME): the cookie read with --token-source cookie or both [default: access_token]'
            cand --roles-file 'The server''s managed roles, checked and used for --token [default: the key store''s roles.json, if any]'
            cand --url 'Ask the running AgentOS too: its /info (agno version, os_id, auth mode) and, with --token, its real answer to --request'
            cand --timeout 'With --url or --issuer: seconds to wait for each answer'
            cand --issuer 'Print the AgentOS configuration that accepts this OpenID provider''s tokens (its discovery document and JWKS are fetched; --token reads audience and claims from a sample access token)'
            cand --ca-file 'With --issuer: PEM file of the CA that signed the provider''s certificate (trusted instead of the system''s roots)'
            cand --jwks 'With --issuer: the JWKS file AgentOS will read (kept fresh by jwks sync)'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --no-authorization 'The server runs with a key but authorization=False: tokens are validated, no scope is checked'
            cand --mcp 'The server runs AgentOS''s MCP server (AgentOS(mcp=True); enable_mcp_server=True before agno 3.0): /mcp and its routes are served, though GET /openapi.json does not list them'
            cand --public 'The server has AgentOS(public=PublicSurface(...)) (agno 3.0.9 on): anonymous GET /agents, /teams, /info; implied by the --public-* flags'
            cand --public-mcp 'PublicSurface(mcp=True): anyone may use the MCP server at /mcp (implies --mcp)'
            cand --send 'With --url: really send a --request that is not GET (it runs or changes things on the server when it is let through)'
            cand --json 'Print {"ok","findings":[...],"verdict"} as JSON'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;scopes'= {
            cand --roles-file 'The server''s managed roles (docs/roles.md) [default: the key store''s roles.json, if any]'
            cand --role 'Print this role''s scopes (allow and deny)'
            cand --subject 'Print what this subject (a token''s sub without a roles claim) resolves to'
            cand --agno 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)'
            cand --scope-mappings 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --save 'Check the roles file and store it in the key store (roles.json, and its roles_claim as mint''s default)'
            cand --json 'Print {"forms","resources","routes","presets"} as JSON'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;serve'= {
            cand --listen 'Address to listen on'
            cand --tls-cert 'TLS certificate chain (PEM); with --tls-key'
            cand --tls-key 'TLS private key (PEM); with --tls-cert'
            cand --issuer 'The issuer URL (iss of tokens, RFC 8414 metadata) [default: the key store''s iss, else the listen URL]'
            cand --exchange 'RFC 8693 token exchange: trusted identity providers, a JSON file {"issuers": [{"issuer", "audience", "scopes_claim", "map", "roles_claim", "roles_map", "ca_file"}]} (docs/serve.md)'
            cand --rate-limit 'Token requests a client may make per second (a burst of twice that); 0 = no limit'
            cand --max-concurrency 'Requests handled at once; more get 503 with Retry-After'
            cand --timeout 'Time a client gets for the TLS handshake, the request head and the body (slow clients are cut off)'
            cand --agno 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)'
            cand --scope-mappings 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --check 'Validate the configuration (key, clients, TLS, address) and exit'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'agentos-auth;clients'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Register a client; its secret (256 random bits) is printed once on stdout'
            cand list 'List the clients: id, scopes, roles, audience, lifetime (never a secret)'
            cand remove 'Remove a client: `serve` refuses its secret from the next request on'
            cand rotate-secret 'Give a client a new secret (printed once); the old one stops working at once'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentos-auth;clients;add'= {
            cand --scopes 'Scopes its tokens may carry, comma- or space-separated (checked against the agno release)'
            cand --roles 'Roles its tokens carry (servers with managed roles), comma-separated'
            cand --aud 'The AgentOS id its tokens are for [default: the key store''s aud]'
            cand --ttl 'Lifetime of its tokens'
            cand --agno 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)'
            cand --scope-mappings 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --json 'Print {"client_id","client_secret"} on stdout'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;clients;list'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --json 'Print {"clients": [{"client_id", "scopes", "roles", "aud", "ttl", "created"}]} on stdout'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;clients;remove'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;clients;rotate-secret'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand --json 'Print {"client_id","client_secret"} on stdout'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;clients;help'= {
            cand add 'Register a client; its secret (256 random bits) is printed once on stdout'
            cand list 'List the clients: id, scopes, roles, audience, lifetime (never a secret)'
            cand remove 'Remove a client: `serve` refuses its secret from the next request on'
            cand rotate-secret 'Give a client a new secret (printed once); the old one stops working at once'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentos-auth;clients;help;add'= {
        }
        &'agentos-auth;clients;help;list'= {
        }
        &'agentos-auth;clients;help;remove'= {
        }
        &'agentos-auth;clients;help;rotate-secret'= {
        }
        &'agentos-auth;clients;help;help'= {
        }
        &'agentos-auth;completions'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --lock-timeout 'Give up waiting for a lock after DUR [default: 30s]'
            cand --password-file 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -v 'Also print notes that do not change the answer'
            cand --verbose 'Also print notes that do not change the answer'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;help'= {
            cand keygen 'Generate a key pair (RS256, ES256) or an HS256 secret'
            cand export 'Print a public key as PEM, JWK, JWKS or env/.env lines'
            cand mint 'Mint a token AgentOS accepts'
            cand jwks 'Manage the JWKS file AgentOS reads (JWT_JWKS_FILE)'
            cand inspect 'Decode a token without verifying it: header, claims, times'
            cand verify 'What AgentOS (agno 2.3.13 to 3.1.10) answers to a token, and why'
            cand doctor 'Check the key settings AgentOS reads from its environment'
            cand scopes 'Scope reference and mint presets; a role''s or subject''s scopes'
            cand serve 'Run the OAuth token service: AgentOS tokens for clients'
            cand clients 'Manage the OAuth clients of `serve` (in the key store)'
            cand completions 'Print a shell completion script on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentos-auth;help;keygen'= {
        }
        &'agentos-auth;help;export'= {
        }
        &'agentos-auth;help;mint'= {
        }
        &'agentos-auth;help;jwks'= {
            cand list 'List the keys of a JWKS: kid, algorithm, size or curve, which one signs now'
            cand add 'Publish the public part of a key (private or public PEM, or a JWK) in a JWKS'
            cand remove 'Remove one key by kid from the JWKS and the key ring; its files move to DIR/removed/'
            cand rotate 'Make a new signing key: private key into the key directory, public JWK into the JWKS'
            cand use 'Make a key of the ring the signing key (e.g. one published with rotate --stage)'
            cand prune 'Drop old keys of the ring from the JWKS (never the signing key)'
            cand sync 'Copy an identity provider''s signing keys into a JWKS file AgentOS reads (keys of other sources in the file stay)'
        }
        &'agentos-auth;help;jwks;list'= {
        }
        &'agentos-auth;help;jwks;add'= {
        }
        &'agentos-auth;help;jwks;remove'= {
        }
        &'agentos-auth;help;jwks;rotate'= {
        }
        &'agentos-auth;help;jwks;use'= {
        }
        &'agentos-auth;help;jwks;prune'= {
        }
        &'agentos-auth;help;jwks;sync'= {
        }
        &'agentos-auth;help;inspect'= {
        }
        &'agentos-auth;help;verify'= {
        }
        &'agentos-auth;help;doctor'= {
        }
        &'agentos-auth;help;scopes'= {
        }
        &'agentos-auth;help;serve'= {
        }
        &'agentos-auth;help;clients'= {
            cand add 'Register a client; its secret (256 random bits) is printed once on stdout'
            cand list 'List the clients: id, scopes, roles, audience, lifetime (never a secret)'
            cand remove 'Remove a client: `serve` refuses its secret from the next request on'
            cand rotate-secret 'Give a client a new secret (printed once); the old one stops working at once'
        }
        &'agentos-auth;help;clients;add'= {
        }
        &'agentos-auth;help;clients;list'= {
        }
        &'agentos-auth;help;clients;remove'= {
        }
        &'agentos-auth;help;clients;rotate-secret'= {
        }
        &'agentos-auth;help;completions'= {
        }
        &'agentos-auth;help;help'= {
        }
    ]
    $completions[$command]
}
