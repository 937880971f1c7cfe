
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'agentos-auth' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'agentos-auth'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'agentos-auth' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a key pair (RS256, ES256) or an HS256 secret')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a public key as PEM, JWK, JWKS or env/.env lines')
            [CompletionResult]::new('mint', 'mint', [CompletionResultType]::ParameterValue, 'Mint a token AgentOS accepts')
            [CompletionResult]::new('jwks', 'jwks', [CompletionResultType]::ParameterValue, 'Manage the JWKS file AgentOS reads (JWT_JWKS_FILE)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Decode a token without verifying it: header, claims, times')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'What AgentOS (agno 2.3.13 to 3.1.10) answers to a token, and why')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the key settings AgentOS reads from its environment')
            [CompletionResult]::new('scopes', 'scopes', [CompletionResultType]::ParameterValue, 'Scope reference and mint presets; a role''s or subject''s scopes')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the OAuth token service: AgentOS tokens for clients')
            [CompletionResult]::new('clients', 'clients', [CompletionResultType]::ParameterValue, 'Manage the OAuth clients of `serve` (in the key store)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentos-auth;keygen' {
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Algorithm the key is for [default: RS256, AgentOS''s default; asked at a terminal]')
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'RSA key size in bits')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Key id [default: the RFC 7638 thumbprint of the public key]')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'AgentOS id to use as the default audience of minted tokens (store only)')
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, 'Default subject of minted tokens (store only)')
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write the files into this directory instead of the key store (a key inside a PKCS#11 token: --token)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'File name stem with --out-dir: NAME.key.pem, NAME.pub.pem, NAME.secret')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Create the key pair inside the PKCS#11 token this URI names (RS256/ES256; object= labels it, default the kid) and record it in the key store')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing key files')
            [CompletionResult]::new('--encrypt', '--encrypt', [CompletionResultType]::ParameterName, 'Write the private key encrypted: PKCS#8 with PBKDF2-HMAC-SHA256 (600,000 iterations) and AES-256-CBC; the password comes from --password-file or is asked')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"alg","kid","private_key","public_key"} on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;export' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key file (private or public PEM, JWK, or HS256 secret), - for stdin [default: the store''s signing key]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'kid for jwk/jwks output [default: the store''s kid, else the thumbprint]')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Algorithm of the key file (needed to read a raw HS256 secret not named *.secret)')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'Variable name for env/dotenv')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--include-secret', '--include-secret', [CompletionResultType]::ParameterName, 'Allow printing an HS256 secret (env, dotenv, jwk)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'agentos-auth;mint' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Signing key file (PEM, JWK or HS256 secret), - for stdin [default: the store''s signing key]')
            [CompletionResult]::new('--key-dir', '--key-dir', [CompletionResultType]::ParameterName, 'Sign with the current key of this key ring (keyring.json), its kid in the header')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'With --key-dir: check that this JWKS publishes the signing key (else AgentOS answers 401)')
            [CompletionResult]::new('--key-content', '--key-content', [CompletionResultType]::ParameterName, 'Signing key content itself (for CI secrets); --key wins')
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, 'Subject (user id) [default: the store''s, else the OS user name]')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'Audience: the AgentOS id (repeat for a list) [default: the store''s]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Scopes, comma-separated and/or repeated, e.g. agents:read,agents:my-agent:run')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Scopes, comma-separated and/or repeated, e.g. agents:read,agents:my-agent:run')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Scope preset (see `agentos-auth scopes`): admin, read-only, run-agent:<id>, ..., role:<name> (a stored role''s scopes)')
            [CompletionResult]::new('--roles', '--roles', [CompletionResultType]::ParameterName, 'Roles for a server with managed roles (Authorization(roles_claim=...)), comma-separated and/or repeated')
            [CompletionResult]::new('--roles-claim', '--roles-claim', [CompletionResultType]::ParameterName, 'Claim --roles goes in: the server''s roles_claim; "role" takes one role as a string [default: the store''s, else roles]')
            [CompletionResult]::new('--agno', '--agno', [CompletionResultType]::ParameterName, 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)')
            [CompletionResult]::new('--scope-mappings', '--scope-mappings', [CompletionResultType]::ParameterName, 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Lifetime [default: 1h, or the store''s]')
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'Lifetime [default: 1h, or the store''s]')
            [CompletionResult]::new('--exp', '--exp', [CompletionResultType]::ParameterName, 'Absolute expiry time instead of --expires-in')
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'Issuer claim')
            [CompletionResult]::new('--nbf', '--nbf', [CompletionResultType]::ParameterName, 'Not-before: a duration from now or a time')
            [CompletionResult]::new('--jti', '--jti', [CompletionResultType]::ParameterName, 'Add a jti claim (random unless given)')
            [CompletionResult]::new('--session-id', '--session-id', [CompletionResultType]::ParameterName, 'session_id claim (AgentOS uses it as the session id)')
            [CompletionResult]::new('--claim', '--claim', [CompletionResultType]::ParameterName, 'Extra claim; VALUE is JSON if it parses, else a string (repeatable)')
            [CompletionResult]::new('--claims', '--claims', [CompletionResultType]::ParameterName, 'Extra claims as a JSON object, or @FILE')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'kid header [default: the store''s kid, else the key''s thumbprint]')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Algorithm; must match the key (needed to read a raw HS256 secret not named *.secret)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Mint one token per line of FILE (- for stdin): each line a JSON object of claims overriding the flags'' defaults, plus "expires_in"; output in input order')
            [CompletionResult]::new('--bad', '--bad', [CompletionResultType]::ParameterName, 'Mint a token AgentOS refuses, for negative tests (docs/pytest.md): the flags'' token, then broken this one way')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Take aud from this running AgentOS (the os_id its GET /info reports) when --aud is not given')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --url: seconds to wait for the answer')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--no-scopes', '--no-scopes', [CompletionResultType]::ParameterName, 'Mint a token with an empty scopes list on purpose (AgentOS answers 403 to every protected route)')
            [CompletionResult]::new('--allow-unknown-scopes', '--allow-unknown-scopes', [CompletionResultType]::ParameterName, 'Accept scopes outside AgentOS''s default route map')
            [CompletionResult]::new('--no-exp', '--no-exp', [CompletionResultType]::ParameterName, 'Mint a token that never expires (AgentOS accepts it forever)')
            [CompletionResult]::new('--no-iat', '--no-iat', [CompletionResultType]::ParameterName, 'Leave out iat')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"token","header","claims","expires_at"} instead of the bare token')
            [CompletionResult]::new('--stream', '--stream', [CompletionResultType]::ParameterName, 'With --batch: answer line by line, each token written and flushed as soon as its line is read (a program keeps the process and asks for one token at a time)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'agentos-auth;jwks' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys of a JWKS: kid, algorithm, size or curve, which one signs now')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Publish the public part of a key (private or public PEM, or a JWK) in a JWKS')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove one key by kid from the JWKS and the key ring; its files move to DIR/removed/')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Make a new signing key: private key into the key directory, public JWK into the JWKS')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a key of the ring the signing key (e.g. one published with rotate --stage)')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Drop old keys of the ring from the JWKS (never the signing key)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy an identity provider''s signing keys into a JWKS file AgentOS reads (keys of other sources in the file stay)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentos-auth;jwks;list' {
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'JWKS file (what AgentOS reads as JWT_JWKS_FILE) [default: the key store''s jwks.json]')
            [CompletionResult]::new('--key-dir', '--key-dir', [CompletionResultType]::ParameterName, 'Key directory with keyring.json and the private keys [default: the key store''s keys/ when --jwks is not given or is the store''s jwks.json; else none]')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"keys":[{"kid","alg","signing",...}],...} on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;jwks;add' {
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'JWKS file (what AgentOS reads as JWT_JWKS_FILE) [default: the key store''s jwks.json]')
            [CompletionResult]::new('--key-dir', '--key-dir', [CompletionResultType]::ParameterName, 'Key directory with keyring.json and the private keys [default: the key store''s keys/ when --jwks is not given or is the store''s jwks.json; else none]')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key file: private or public PEM, or a JWK; - for stdin')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'kid [default: the JWK''s kid, else the RFC 7638 thumbprint]')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"kid","added","jwks"} on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;jwks;remove' {
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'JWKS file (what AgentOS reads as JWT_JWKS_FILE) [default: the key store''s jwks.json]')
            [CompletionResult]::new('--key-dir', '--key-dir', [CompletionResultType]::ParameterName, 'Key directory with keyring.json and the private keys [default: the key store''s keys/ when --jwks is not given or is the store''s jwks.json; else none]')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'kid of the key to remove')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove even the key that signs now, or the last key (mint then has no key until the next rotate; AgentOS does not start with an empty JWKS)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"kid","was_signing","from_jwks","from_keyring","moved"} on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;jwks;rotate' {
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'JWKS file that publishes the ring''s public keys [default: the key store''s jwks.json]')
            [CompletionResult]::new('--key-dir', '--key-dir', [CompletionResultType]::ParameterName, 'Key directory: private keys (0600) and keyring.json [default: the key store''s keys/]')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Algorithm of the new key [default: the current signing key''s, else RS256]')
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'RSA key size in bits')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'kid of the new key [default: its RFC 7638 thumbprint]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Create the new key pair inside the PKCS#11 token this URI names (object= labels it, default the kid) [default: the token of the current signing key, if any]')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Afterwards keep only the N newest keys of the ring (the new one counts); a key that stopped signing within the token lifetime is kept anyway')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Publish the new key but keep signing with the current one; switch later with `jwks use --kid KID`, after AgentOS has reloaded the JWKS')
            [CompletionResult]::new('--ignore-token-lifetime', '--ignore-token-lifetime', [CompletionResultType]::ParameterName, 'With --keep: drop keys even when they stopped signing less than a token lifetime ago (the store''s expires_in, else 1h); tokens they signed then get 401')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"kid","alg","previous_kid","signing_kid","staged","private_key","public_key","jwks","pruned"} on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;jwks;use' {
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'JWKS file that publishes the ring''s public keys [default: the key store''s jwks.json]')
            [CompletionResult]::new('--key-dir', '--key-dir', [CompletionResultType]::ParameterName, 'Key directory: private keys (0600) and keyring.json [default: the key store''s keys/]')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'kid of the key to sign with from now on')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Switch only if the AgentOS at URL verifies the key''s tokens (a probe token of KID, no scopes); repeat for several servers: all must')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each --url server has to answer')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Switch even when a --url server cannot verify the key (its tokens get 401 there until it restarts)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"kid","previous_kid"} on stdout; with --url also "servers":[{"url","status","detail","verifies"}]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;jwks;prune' {
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'JWKS file that publishes the ring''s public keys [default: the key store''s jwks.json]')
            [CompletionResult]::new('--key-dir', '--key-dir', [CompletionResultType]::ParameterName, 'Key directory: private keys (0600) and keyring.json [default: the key store''s keys/]')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Drop keys that stopped signing more than DUR ago (30s, 15m, 24h, 7d, 2w)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the N newest keys (the signing key counts)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--ignore-token-lifetime', '--ignore-token-lifetime', [CompletionResultType]::ParameterName, 'Drop keys even when they stopped signing less than a token lifetime ago (the store''s expires_in, else 1h); tokens they signed then get 401')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"pruned":[...],"spared":[...]} on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;jwks;sync' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The provider''s issuer URL (or its discovery URL), or its JWKS URL; https (plain http only to a loopback address)')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'JWKS file to keep in sync (what AgentOS reads as jwks_file / JWT_JWKS_FILE); created when missing')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'The algorithm AgentOS verifies (JWTMiddleware''s algorithm), RS256 or ES256: only keys usable with it are copied')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA that signed the provider''s certificate: trusted instead of the system''s roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each request to the provider has')
            [CompletionResult]::new('--on-change', '--on-change', [CompletionResultType]::ParameterName, 'Run CMD (with sh -c) after a sync that changed FILE; its failure is exit 5')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Keep syncing: every DUR (30s, 15m, 1h), sooner when the provider''s Cache-Control max-age is shorter (never below 60s); stops on SIGTERM or Ctrl-C')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"changed","added","removed","dropped"} on stdout (one line per sync)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;jwks;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys of a JWKS: kid, algorithm, size or curve, which one signs now')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Publish the public part of a key (private or public PEM, or a JWK) in a JWKS')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove one key by kid from the JWKS and the key ring; its files move to DIR/removed/')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Make a new signing key: private key into the key directory, public JWK into the JWKS')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a key of the ring the signing key (e.g. one published with rotate --stage)')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Drop old keys of the ring from the JWKS (never the signing key)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy an identity provider''s signing keys into a JWKS file AgentOS reads (keys of other sources in the file stay)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentos-auth;jwks;help;list' {
            break
        }
        'agentos-auth;jwks;help;add' {
            break
        }
        'agentos-auth;jwks;help;remove' {
            break
        }
        'agentos-auth;jwks;help;rotate' {
            break
        }
        'agentos-auth;jwks;help;use' {
            break
        }
        'agentos-auth;jwks;help;prune' {
            break
        }
        'agentos-auth;jwks;help;sync' {
            break
        }
        'agentos-auth;jwks;help;help' {
            break
        }
        'agentos-auth;inspect' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"header","claims","times","scopes"} as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;verify' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Static verification key file, as AgentOS gets it (PEM public key or HS256 secret); repeatable, tried in order')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'JWKS file (AgentOS''s jwks_file / JWT_JWKS_FILE)')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'The algorithm AgentOS is configured with (it accepts only this one) [default: HS256 for a --key *.secret, else the key store''s alg (what keygen told AgentOS to use), else RS256 as AgentOS; with --url, the alg of a token the server verified]')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'Check aud as verify_audience=True does, against this id (repeat for a list)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Without --key/--jwks: JWT_VERIFICATION_KEY and JWT_JWKS_FILE from this .env file, read as python-dotenv and uvicorn --env-file read it (its values win over this shell''s)')
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'Issuer AgentOS pins (Authorization(issuer=...))')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'Also check the token''s scopes for this route, e.g. "POST /agents/my-agent/runs"')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Pretend the server''s clock says TIME (RFC 3339, @UNIX, +1h, -5m)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'With --request: the JSON body it sends (or @FILE), for routes whose handler checks it (POST /eval-runs, POST /schedules, an MCP tools/call on POST /mcp with --mcp); sent to the server with --url')
            [CompletionResult]::new('--sent-in', '--sent-in', [CompletionResultType]::ParameterName, 'Where the request carries the token: header (Authorization: Bearer), cookie (the server''s --cookie-name) or cookie:NAME [default: where the server reads it]')
            [CompletionResult]::new('--agno', '--agno', [CompletionResultType]::ParameterName, 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)')
            [CompletionResult]::new('--scope-mappings', '--scope-mappings', [CompletionResultType]::ParameterName, 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)')
            [CompletionResult]::new('--routes', '--routes', [CompletionResultType]::ParameterName, 'The server''s OpenAPI document (curl HOST/openapi.json > routes.json): a route it lacks gets 404')
            [CompletionResult]::new('--mount-prefix', '--mount-prefix', [CompletionResultType]::ParameterName, 'AgentOS is mounted under this path of a larger app (app.mount("/api", agent_os.get_app())): --request paths are then whole, e.g. "GET /api/agents"')
            [CompletionResult]::new('--public-agent', '--public-agent', [CompletionResultType]::ParameterName, 'PublicSurface(agents=[...]) selects this agent: anyone may run and cancel it without a token; repeatable')
            [CompletionResult]::new('--public-team', '--public-team', [CompletionResultType]::ParameterName, 'PublicSurface(teams=[...]) selects this team: anyone may run and cancel it without a token; repeatable')
            [CompletionResult]::new('--scopes-claim', '--scopes-claim', [CompletionResultType]::ParameterName, 'JWTMiddleware(scopes_claim=NAME): the top-level claim holding the scopes, e.g. permissions (Auth0 RBAC, WorkOS) or scp (Okta) [default: scopes]')
            [CompletionResult]::new('--user-id-claim', '--user-id-claim', [CompletionResultType]::ParameterName, 'JWTMiddleware(user_id_claim=NAME): the claim holding the user id, e.g. oid (Entra ID) [default: sub]')
            [CompletionResult]::new('--token-source', '--token-source', [CompletionResultType]::ParameterName, 'JWTMiddleware(token_source=...): where the server reads the token: header, cookie, or both (header first) [default: header]')
            [CompletionResult]::new('--cookie-name', '--cookie-name', [CompletionResultType]::ParameterName, 'JWTMiddleware(cookie_name=NAME): the cookie read with --token-source cookie or both [default: access_token]')
            [CompletionResult]::new('--roles-file', '--roles-file', [CompletionResultType]::ParameterName, 'The server''s managed roles (docs/roles.md) [default: the key store''s roles.json, if any]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Ask the running AgentOS too: send --request (default GET /agents) with the token and print its real answer next to the prediction')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --url: seconds to wait for each answer')
            [CompletionResult]::new('--authz-token', '--authz-token', [CompletionResultType]::ParameterName, 'With --url: an admin token to read the server''s roles from its /authz API (switches from --roles-file)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--no-verify-aud', '--no-verify-aud', [CompletionResultType]::ParameterName, 'Do not check aud (AgentOS''s default, verify_audience=False)')
            [CompletionResult]::new('--no-token', '--no-token', [CompletionResultType]::ParameterName, 'Ask about a request without any token (what --request gets with no Authorization header)')
            [CompletionResult]::new('--no-authorization', '--no-authorization', [CompletionResultType]::ParameterName, 'The server runs with a key but authorization=False: tokens are validated, no scope is checked')
            [CompletionResult]::new('--mcp', '--mcp', [CompletionResultType]::ParameterName, 'The server runs AgentOS''s MCP server (AgentOS(mcp=True); enable_mcp_server=True before agno 3.0): /mcp and its routes are served, though GET /openapi.json does not list them')
            [CompletionResult]::new('--public', '--public', [CompletionResultType]::ParameterName, 'The server has AgentOS(public=PublicSurface(...)) (agno 3.0.9 on): anonymous GET /agents, /teams, /info; implied by the --public-* flags')
            [CompletionResult]::new('--public-mcp', '--public-mcp', [CompletionResultType]::ParameterName, 'PublicSurface(mcp=True): anyone may use the MCP server at /mcp (implies --mcp)')
            [CompletionResult]::new('--no-roles', '--no-roles', [CompletionResultType]::ParameterName, 'Decide on scopes alone, ignoring the key store''s roles.json')
            [CompletionResult]::new('--send', '--send', [CompletionResultType]::ParameterName, 'With --url: really send a request that is not GET (it runs or changes things on the server when it is let through)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"status","reason","detail","fix"} as JSON on stdout (with --url: plus "agree", "server", "predicted")')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;doctor' {
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'The algorithm the AgentOS code configures (env vars cannot set it) [default: the key store''s alg (what keygen told AgentOS to use), else RS256 as AgentOS; with --url, the alg of a token the server verified]')
            [CompletionResult]::new('--os-id', '--os-id', [CompletionResultType]::ParameterName, 'The AgentOS id; with it, aud is checked as verify_audience=True does')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Check the variables of this .env file, read as python-dotenv and uvicorn --env-file read it (its values win over this shell''s)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Also verify this token under this environment (- reads stdin)')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'With --token: the route to check scopes for, e.g. "GET /agents"')
            [CompletionResult]::new('--agno', '--agno', [CompletionResultType]::ParameterName, 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)')
            [CompletionResult]::new('--scope-mappings', '--scope-mappings', [CompletionResultType]::ParameterName, 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)')
            [CompletionResult]::new('--routes', '--routes', [CompletionResultType]::ParameterName, 'The server''s OpenAPI document (curl HOST/openapi.json > routes.json): a route it lacks gets 404')
            [CompletionResult]::new('--mount-prefix', '--mount-prefix', [CompletionResultType]::ParameterName, 'AgentOS is mounted under this path of a larger app (app.mount("/api", agent_os.get_app())): --request paths are then whole, e.g. "GET /api/agents"')
            [CompletionResult]::new('--public-agent', '--public-agent', [CompletionResultType]::ParameterName, 'PublicSurface(agents=[...]) selects this agent: anyone may run and cancel it without a token; repeatable')
            [CompletionResult]::new('--public-team', '--public-team', [CompletionResultType]::ParameterName, 'PublicSurface(teams=[...]) selects this team: anyone may run and cancel it without a token; repeatable')
            [CompletionResult]::new('--scopes-claim', '--scopes-claim', [CompletionResultType]::ParameterName, 'JWTMiddleware(scopes_claim=NAME): the top-level claim holding the scopes, e.g. permissions (Auth0 RBAC, WorkOS) or scp (Okta) [default: scopes]')
            [CompletionResult]::new('--user-id-claim', '--user-id-claim', [CompletionResultType]::ParameterName, 'JWTMiddleware(user_id_claim=NAME): the claim holding the user id, e.g. oid (Entra ID) [default: sub]')
            [CompletionResult]::new('--token-source', '--token-source', [CompletionResultType]::ParameterName, 'JWTMiddleware(token_source=...): where the server reads the token: header, cookie, or both (header first) [default: header]')
            [CompletionResult]::new('--cookie-name', '--cookie-name', [CompletionResultType]::ParameterName, 'JWTMiddleware(cookie_name=NAME): the cookie read with --token-source cookie or both [default: access_token]')
            [CompletionResult]::new('--roles-file', '--roles-file', [CompletionResultType]::ParameterName, 'The server''s managed roles, checked and used for --token [default: the key store''s roles.json, if any]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Ask the running AgentOS too: its /info (agno version, os_id, auth mode) and, with --token, its real answer to --request')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --url or --issuer: seconds to wait for each answer')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Print the AgentOS configuration that accepts this OpenID provider''s tokens (its discovery document and JWKS are fetched; --token reads audience and claims from a sample access token)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'With --issuer: PEM file of the CA that signed the provider''s certificate (trusted instead of the system''s roots)')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'With --issuer: the JWKS file AgentOS will read (kept fresh by jwks sync)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--no-authorization', '--no-authorization', [CompletionResultType]::ParameterName, 'The server runs with a key but authorization=False: tokens are validated, no scope is checked')
            [CompletionResult]::new('--mcp', '--mcp', [CompletionResultType]::ParameterName, 'The server runs AgentOS''s MCP server (AgentOS(mcp=True); enable_mcp_server=True before agno 3.0): /mcp and its routes are served, though GET /openapi.json does not list them')
            [CompletionResult]::new('--public', '--public', [CompletionResultType]::ParameterName, 'The server has AgentOS(public=PublicSurface(...)) (agno 3.0.9 on): anonymous GET /agents, /teams, /info; implied by the --public-* flags')
            [CompletionResult]::new('--public-mcp', '--public-mcp', [CompletionResultType]::ParameterName, 'PublicSurface(mcp=True): anyone may use the MCP server at /mcp (implies --mcp)')
            [CompletionResult]::new('--send', '--send', [CompletionResultType]::ParameterName, 'With --url: really send a --request that is not GET (it runs or changes things on the server when it is let through)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"ok","findings":[...],"verdict"} as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;scopes' {
            [CompletionResult]::new('--roles-file', '--roles-file', [CompletionResultType]::ParameterName, 'The server''s managed roles (docs/roles.md) [default: the key store''s roles.json, if any]')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Print this role''s scopes (allow and deny)')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'Print what this subject (a token''s sub without a roles claim) resolves to')
            [CompletionResult]::new('--agno', '--agno', [CompletionResultType]::ParameterName, 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)')
            [CompletionResult]::new('--scope-mappings', '--scope-mappings', [CompletionResultType]::ParameterName, 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Check the roles file and store it in the key store (roles.json, and its roles_claim as mint''s default)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"forms","resources","routes","presets"} as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'TLS certificate chain (PEM); with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'TLS private key (PEM); with --tls-cert')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The issuer URL (iss of tokens, RFC 8414 metadata) [default: the key store''s iss, else the listen URL]')
            [CompletionResult]::new('--exchange', '--exchange', [CompletionResultType]::ParameterName, 'RFC 8693 token exchange: trusted identity providers, a JSON file {"issuers": [{"issuer", "audience", "scopes_claim", "map", "roles_claim", "roles_map", "ca_file"}]} (docs/serve.md)')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Token requests a client may make per second (a burst of twice that); 0 = no limit')
            [CompletionResult]::new('--max-concurrency', '--max-concurrency', [CompletionResultType]::ParameterName, 'Requests handled at once; more get 503 with Retry-After')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time a client gets for the TLS handshake, the request head and the body (slow clients are cut off)')
            [CompletionResult]::new('--agno', '--agno', [CompletionResultType]::ParameterName, 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)')
            [CompletionResult]::new('--scope-mappings', '--scope-mappings', [CompletionResultType]::ParameterName, 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Validate the configuration (key, clients, TLS, address) and exit')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'agentos-auth;clients' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a client; its secret (256 random bits) is printed once on stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the clients: id, scopes, roles, audience, lifetime (never a secret)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a client: `serve` refuses its secret from the next request on')
            [CompletionResult]::new('rotate-secret', 'rotate-secret', [CompletionResultType]::ParameterValue, 'Give a client a new secret (printed once); the old one stops working at once')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentos-auth;clients;add' {
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Scopes its tokens may carry, comma- or space-separated (checked against the agno release)')
            [CompletionResult]::new('--roles', '--roles', [CompletionResultType]::ParameterName, 'Roles its tokens carry (servers with managed roles), comma-separated')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'The AgentOS id its tokens are for [default: the key store''s aud]')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Lifetime of its tokens')
            [CompletionResult]::new('--agno', '--agno', [CompletionResultType]::ParameterName, 'The agno release the server runs (e.g. 2.7.0; default: the key store''s agno_version, else the newest modelled)')
            [CompletionResult]::new('--scope-mappings', '--scope-mappings', [CompletionResultType]::ParameterName, 'The server''s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store''s scope_mappings)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"client_id","client_secret"} on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;clients;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"clients": [{"client_id", "scopes", "roles", "aud", "ttl", "created"}]} on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;clients;remove' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;clients;rotate-secret' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"client_id","client_secret"} on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;clients;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a client; its secret (256 random bits) is printed once on stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the clients: id, scopes, roles, audience, lifetime (never a secret)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a client: `serve` refuses its secret from the next request on')
            [CompletionResult]::new('rotate-secret', 'rotate-secret', [CompletionResultType]::ParameterValue, 'Give a client a new secret (printed once); the old one stops working at once')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentos-auth;clients;help;add' {
            break
        }
        'agentos-auth;clients;help;list' {
            break
        }
        'agentos-auth;clients;help;remove' {
            break
        }
        'agentos-auth;clients;help;rotate-secret' {
            break
        }
        'agentos-auth;clients;help;help' {
            break
        }
        'agentos-auth;completions' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Give up waiting for a lock after DUR [default: 30s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Password of encrypted keys: the file''s first line [env: AGENTOS_AUTH_PASSWORD_FILE]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes that do not change the answer')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;help' {
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a key pair (RS256, ES256) or an HS256 secret')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a public key as PEM, JWK, JWKS or env/.env lines')
            [CompletionResult]::new('mint', 'mint', [CompletionResultType]::ParameterValue, 'Mint a token AgentOS accepts')
            [CompletionResult]::new('jwks', 'jwks', [CompletionResultType]::ParameterValue, 'Manage the JWKS file AgentOS reads (JWT_JWKS_FILE)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Decode a token without verifying it: header, claims, times')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'What AgentOS (agno 2.3.13 to 3.1.10) answers to a token, and why')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the key settings AgentOS reads from its environment')
            [CompletionResult]::new('scopes', 'scopes', [CompletionResultType]::ParameterValue, 'Scope reference and mint presets; a role''s or subject''s scopes')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the OAuth token service: AgentOS tokens for clients')
            [CompletionResult]::new('clients', 'clients', [CompletionResultType]::ParameterValue, 'Manage the OAuth clients of `serve` (in the key store)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentos-auth;help;keygen' {
            break
        }
        'agentos-auth;help;export' {
            break
        }
        'agentos-auth;help;mint' {
            break
        }
        'agentos-auth;help;jwks' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys of a JWKS: kid, algorithm, size or curve, which one signs now')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Publish the public part of a key (private or public PEM, or a JWK) in a JWKS')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove one key by kid from the JWKS and the key ring; its files move to DIR/removed/')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Make a new signing key: private key into the key directory, public JWK into the JWKS')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a key of the ring the signing key (e.g. one published with rotate --stage)')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Drop old keys of the ring from the JWKS (never the signing key)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy an identity provider''s signing keys into a JWKS file AgentOS reads (keys of other sources in the file stay)')
            break
        }
        'agentos-auth;help;jwks;list' {
            break
        }
        'agentos-auth;help;jwks;add' {
            break
        }
        'agentos-auth;help;jwks;remove' {
            break
        }
        'agentos-auth;help;jwks;rotate' {
            break
        }
        'agentos-auth;help;jwks;use' {
            break
        }
        'agentos-auth;help;jwks;prune' {
            break
        }
        'agentos-auth;help;jwks;sync' {
            break
        }
        'agentos-auth;help;inspect' {
            break
        }
        'agentos-auth;help;verify' {
            break
        }
        'agentos-auth;help;doctor' {
            break
        }
        'agentos-auth;help;scopes' {
            break
        }
        'agentos-auth;help;serve' {
            break
        }
        'agentos-auth;help;clients' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a client; its secret (256 random bits) is printed once on stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the clients: id, scopes, roles, audience, lifetime (never a secret)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a client: `serve` refuses its secret from the next request on')
            [CompletionResult]::new('rotate-secret', 'rotate-secret', [CompletionResultType]::ParameterValue, 'Give a client a new secret (printed once); the old one stops working at once')
            break
        }
        'agentos-auth;help;clients;add' {
            break
        }
        'agentos-auth;help;clients;list' {
            break
        }
        'agentos-auth;help;clients;remove' {
            break
        }
        'agentos-auth;help;clients;rotate-secret' {
            break
        }
        'agentos-auth;help;completions' {
            break
        }
        'agentos-auth;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
