# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_agentos_auth_global_optspecs
    string join \n home= q/quiet no-input lock-timeout= password-file= v/verbose h/help V/version
end

function __fish_agentos_auth_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_agentos_auth_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_agentos_auth_using_subcommand
    set -l cmd (__fish_agentos_auth_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -s V -l version -d 'Print version'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "keygen" -d 'Generate a key pair (RS256, ES256) or an HS256 secret'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "export" -d 'Print a public key as PEM, JWK, JWKS or env/.env lines'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "mint" -d 'Mint a token AgentOS accepts'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "jwks" -d 'Manage the JWKS file AgentOS reads (JWT_JWKS_FILE)'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "inspect" -d 'Decode a token without verifying it: header, claims, times'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "verify" -d 'What AgentOS (agno 2.3.13 to 3.1.10) answers to a token, and why'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "doctor" -d 'Check the key settings AgentOS reads from its environment'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "scopes" -d 'Scope reference and mint presets; a role\'s or subject\'s scopes'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "serve" -d 'Run the OAuth token service: AgentOS tokens for clients'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "clients" -d 'Manage the OAuth clients of `serve` (in the key store)'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "completions" -d 'Print a shell completion script on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l alg -d 'Algorithm the key is for [default: RS256, AgentOS\'s default; asked at a terminal]' -r -f -a "RS256\t''
ES256\t''
HS256\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l bits -d 'RSA key size in bits' -r -f -a "2048\t''
3072\t''
4096\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l kid -d 'Key id [default: the RFC 7638 thumbprint of the public key]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l aud -d 'AgentOS id to use as the default audience of minted tokens (store only)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l sub -d 'Default subject of minted tokens (store only)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l out-dir -d 'Write the files into this directory instead of the key store (a key inside a PKCS#11 token: --token)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l name -d 'File name stem with --out-dir: NAME.key.pem, NAME.pub.pem, NAME.secret' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l token -d 'Create the key pair inside the PKCS#11 token this URI names (RS256/ES256; object= labels it, default the kid) and record it in the key store' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l force -d 'Replace existing key files'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l encrypt -d 'Write the private key encrypted: PKCS#8 with PBKDF2-HMAC-SHA256 (600,000 iterations) and AES-256-CBC; the password comes from --password-file or is asked'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l json -d 'Print {"alg","kid","private_key","public_key"} on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l key -d 'Key file (private or public PEM, JWK, or HS256 secret), - for stdin [default: the store\'s signing key]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -s f -l format -d 'Output format' -r -f -a "pem\t'SPKI public key PEM'
jwk\t'One public JWK (JSON)'
jwks\t'A JWKS {"keys":[...]} for JWT_JWKS_FILE'
env\t'A POSIX shell line: eval "$(agentos-auth export --format env)"'
dotenv\t'A .env line (python-dotenv, docker compose)'"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l kid -d 'kid for jwk/jwks output [default: the store\'s kid, else the thumbprint]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l alg -d 'Algorithm of the key file (needed to read a raw HS256 secret not named *.secret)' -r -f -a "RS256\t''
ES256\t''
HS256\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l var -d 'Variable name for env/dotenv' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l include-secret -d 'Allow printing an HS256 secret (env, dotenv, jwk)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l key -d 'Signing key file (PEM, JWK or HS256 secret), - for stdin [default: the store\'s signing key]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l key-dir -d 'Sign with the current key of this key ring (keyring.json), its kid in the header' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l jwks -d 'With --key-dir: check that this JWKS publishes the signing key (else AgentOS answers 401)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l key-content -d 'Signing key content itself (for CI secrets); --key wins' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l sub -d 'Subject (user id) [default: the store\'s, else the OS user name]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l aud -d 'Audience: the AgentOS id (repeat for a list) [default: the store\'s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -s s -l scopes -d 'Scopes, comma-separated and/or repeated, e.g. agents:read,agents:my-agent:run' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l preset -d 'Scope preset (see `agentos-auth scopes`): admin, read-only, run-agent:<id>, ..., role:<name> (a stored role\'s scopes)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l roles -d 'Roles for a server with managed roles (Authorization(roles_claim=...)), comma-separated and/or repeated' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l roles-claim -d 'Claim --roles goes in: the server\'s roles_claim; "role" takes one role as a string [default: the store\'s, else roles]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l agno -d 'The agno release the server runs (e.g. 2.7.0; default: the key store\'s agno_version, else the newest modelled)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l scope-mappings -d 'The server\'s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store\'s scope_mappings)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -s e -l expires-in -d 'Lifetime [default: 1h, or the store\'s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l exp -d 'Absolute expiry time instead of --expires-in' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l iss -d 'Issuer claim' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l nbf -d 'Not-before: a duration from now or a time' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l jti -d 'Add a jti claim (random unless given)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l session-id -d 'session_id claim (AgentOS uses it as the session id)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l claim -d 'Extra claim; VALUE is JSON if it parses, else a string (repeatable)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l claims -d 'Extra claims as a JSON object, or @FILE' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l kid -d 'kid header [default: the store\'s kid, else the key\'s thumbprint]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l alg -d 'Algorithm; must match the key (needed to read a raw HS256 secret not named *.secret)' -r -f -a "RS256\t''
ES256\t''
HS256\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l batch -d 'Mint one token per line of FILE (- for stdin): each line a JSON object of claims overriding the flags\' defaults, plus "expires_in"; output in input order' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l bad -d 'Mint a token AgentOS refuses, for negative tests (docs/pytest.md): the flags\' token, then broken this one way' -r -f -a "expired\t'exp an hour ago'
not-yet-valid\t'nbf an hour ahead'
wrong-audience\t'aud another id (refused by a server with verify_audience=True only)'
wrong-key\t'signed by another, fresh key of the same algorithm, same kid'
unknown-kid\t'a kid the JWKS lacks (refused with JWT_JWKS_FILE only: a static key ignores kid)'
wrong-alg\t'another algorithm: HS256 keyed with the public key PEM (RS256/ES256 keys), ES256 (HS256)'
alg-none\t'alg "none" and no signature'
scope-string\t'scopes as one space-separated string, which AgentOS reads as ONE scope'
reserved-subject\t'sub "sa:<sub>", reserved for service accounts'"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l url -d 'Take aud from this running AgentOS (the os_id its GET /info reports) when --aud is not given' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l timeout -d 'With --url: seconds to wait for the answer' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l no-scopes -d 'Mint a token with an empty scopes list on purpose (AgentOS answers 403 to every protected route)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l allow-unknown-scopes -d 'Accept scopes outside AgentOS\'s default route map'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l no-exp -d 'Mint a token that never expires (AgentOS accepts it forever)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l no-iat -d 'Leave out iat'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l json -d 'Print {"token","header","claims","expires_at"} instead of the bare token'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l stream -d 'With --batch: answer line by line, each token written and flushed as soon as its line is read (a program keeps the process and asks for one token at a time)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -f -a "list" -d 'List the keys of a JWKS: kid, algorithm, size or curve, which one signs now'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -f -a "add" -d 'Publish the public part of a key (private or public PEM, or a JWK) in a JWKS'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -f -a "remove" -d 'Remove one key by kid from the JWKS and the key ring; its files move to DIR/removed/'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -f -a "rotate" -d 'Make a new signing key: private key into the key directory, public JWK into the JWKS'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -f -a "use" -d 'Make a key of the ring the signing key (e.g. one published with rotate --stage)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -f -a "prune" -d 'Drop old keys of the ring from the JWKS (never the signing key)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -f -a "sync" -d 'Copy an identity provider\'s signing keys into a JWKS file AgentOS reads (keys of other sources in the file stay)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list add remove rotate use prune sync help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -l jwks -d 'JWKS file (what AgentOS reads as JWT_JWKS_FILE) [default: the key store\'s jwks.json]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -l key-dir -d 'Key directory with keyring.json and the private keys [default: the key store\'s keys/ when --jwks is not given or is the store\'s jwks.json; else none]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -l json -d 'Print {"keys":[{"kid","alg","signing",...}],...} on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -l jwks -d 'JWKS file (what AgentOS reads as JWT_JWKS_FILE) [default: the key store\'s jwks.json]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -l key-dir -d 'Key directory with keyring.json and the private keys [default: the key store\'s keys/ when --jwks is not given or is the store\'s jwks.json; else none]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -l key -d 'Key file: private or public PEM, or a JWK; - for stdin' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -l kid -d 'kid [default: the JWK\'s kid, else the RFC 7638 thumbprint]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -l json -d 'Print {"kid","added","jwks"} on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -l jwks -d 'JWKS file (what AgentOS reads as JWT_JWKS_FILE) [default: the key store\'s jwks.json]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -l key-dir -d 'Key directory with keyring.json and the private keys [default: the key store\'s keys/ when --jwks is not given or is the store\'s jwks.json; else none]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -l kid -d 'kid of the key to remove' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -l force -d 'Remove even the key that signs now, or the last key (mint then has no key until the next rotate; AgentOS does not start with an empty JWKS)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -l json -d 'Print {"kid","was_signing","from_jwks","from_keyring","moved"} on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l jwks -d 'JWKS file that publishes the ring\'s public keys [default: the key store\'s jwks.json]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l key-dir -d 'Key directory: private keys (0600) and keyring.json [default: the key store\'s keys/]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l alg -d 'Algorithm of the new key [default: the current signing key\'s, else RS256]' -r -f -a "RS256\t''
ES256\t''
HS256\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l bits -d 'RSA key size in bits' -r -f -a "2048\t''
3072\t''
4096\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l kid -d 'kid of the new key [default: its RFC 7638 thumbprint]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l token -d 'Create the new key pair inside the PKCS#11 token this URI names (object= labels it, default the kid) [default: the token of the current signing key, if any]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l keep -d 'Afterwards keep only the N newest keys of the ring (the new one counts); a key that stopped signing within the token lifetime is kept anyway' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l stage -d 'Publish the new key but keep signing with the current one; switch later with `jwks use --kid KID`, after AgentOS has reloaded the JWKS'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l ignore-token-lifetime -d 'With --keep: drop keys even when they stopped signing less than a token lifetime ago (the store\'s expires_in, else 1h); tokens they signed then get 401'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l json -d 'Print {"kid","alg","previous_kid","signing_kid","staged","private_key","public_key","jwks","pruned"} on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -l jwks -d 'JWKS file that publishes the ring\'s public keys [default: the key store\'s jwks.json]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -l key-dir -d 'Key directory: private keys (0600) and keyring.json [default: the key store\'s keys/]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -l kid -d 'kid of the key to sign with from now on' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -l url -d 'Switch only if the AgentOS at URL verifies the key\'s tokens (a probe token of KID, no scopes); repeat for several servers: all must' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -l timeout -d 'Seconds each --url server has to answer' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -l force -d 'Switch even when a --url server cannot verify the key (its tokens get 401 there until it restarts)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -l json -d 'Print {"kid","previous_kid"} on stdout; with --url also "servers":[{"url","status","detail","verifies"}]'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -l jwks -d 'JWKS file that publishes the ring\'s public keys [default: the key store\'s jwks.json]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -l key-dir -d 'Key directory: private keys (0600) and keyring.json [default: the key store\'s keys/]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -l older-than -d 'Drop keys that stopped signing more than DUR ago (30s, 15m, 24h, 7d, 2w)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -l keep -d 'Keep the N newest keys (the signing key counts)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -l ignore-token-lifetime -d 'Drop keys even when they stopped signing less than a token lifetime ago (the store\'s expires_in, else 1h); tokens they signed then get 401'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -l json -d 'Print {"pruned":[...],"spared":[...]} on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l from -d 'The provider\'s issuer URL (or its discovery URL), or its JWKS URL; https (plain http only to a loopback address)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l jwks -d 'JWKS file to keep in sync (what AgentOS reads as jwks_file / JWT_JWKS_FILE); created when missing' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l alg -d 'The algorithm AgentOS verifies (JWTMiddleware\'s algorithm), RS256 or ES256: only keys usable with it are copied' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l ca-file -d 'PEM file of the CA that signed the provider\'s certificate: trusted instead of the system\'s roots' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l timeout -d 'Seconds each request to the provider has' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l on-change -d 'Run CMD (with sh -c) after a sync that changed FILE; its failure is exit 5' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l watch -d 'Keep syncing: every DUR (30s, 15m, 1h), sooner when the provider\'s Cache-Control max-age is shorter (never below 60s); stops on SIGTERM or Ctrl-C' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l json -d 'Print {"changed","added","removed","dropped"} on stdout (one line per sync)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the keys of a JWKS: kid, algorithm, size or curve, which one signs now'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from help" -f -a "add" -d 'Publish the public part of a key (private or public PEM, or a JWK) in a JWKS'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove one key by kid from the JWKS and the key ring; its files move to DIR/removed/'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Make a new signing key: private key into the key directory, public JWK into the JWKS'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make a key of the ring the signing key (e.g. one published with rotate --stage)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Drop old keys of the ring from the JWKS (never the signing key)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Copy an identity provider\'s signing keys into a JWKS file AgentOS reads (keys of other sources in the file stay)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -l json -d 'Print {"header","claims","times","scopes"} as JSON'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l key -d 'Static verification key file, as AgentOS gets it (PEM public key or HS256 secret); repeatable, tried in order' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l jwks -d 'JWKS file (AgentOS\'s jwks_file / JWT_JWKS_FILE)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l alg -d 'The algorithm AgentOS is configured with (it accepts only this one) [default: HS256 for a --key *.secret, else the key store\'s alg (what keygen told AgentOS to use), else RS256 as AgentOS; with --url, the alg of a token the server verified]' -r -f -a "RS256\t''
ES256\t''
HS256\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l aud -d 'Check aud as verify_audience=True does, against this id (repeat for a list)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l env-file -d 'Without --key/--jwks: JWT_VERIFICATION_KEY and JWT_JWKS_FILE from this .env file, read as python-dotenv and uvicorn --env-file read it (its values win over this shell\'s)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l iss -d 'Issuer AgentOS pins (Authorization(issuer=...))' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l request -d 'Also check the token\'s scopes for this route, e.g. "POST /agents/my-agent/runs"' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l at -d 'Pretend the server\'s clock says TIME (RFC 3339, @UNIX, +1h, -5m)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l body -d 'With --request: the JSON body it sends (or @FILE), for routes whose handler checks it (POST /eval-runs, POST /schedules, an MCP tools/call on POST /mcp with --mcp); sent to the server with --url' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l sent-in -d 'Where the request carries the token: header (Authorization: Bearer), cookie (the server\'s --cookie-name) or cookie:NAME [default: where the server reads it]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l agno -d 'The agno release the server runs (e.g. 2.7.0; default: the key store\'s agno_version, else the newest modelled)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l scope-mappings -d 'The server\'s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store\'s scope_mappings)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l routes -d 'The server\'s OpenAPI document (curl HOST/openapi.json > routes.json): a route it lacks gets 404' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l mount-prefix -d 'AgentOS is mounted under this path of a larger app (app.mount("/api", agent_os.get_app())): --request paths are then whole, e.g. "GET /api/agents"' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l public-agent -d 'PublicSurface(agents=[...]) selects this agent: anyone may run and cancel it without a token; repeatable' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l public-team -d 'PublicSurface(teams=[...]) selects this team: anyone may run and cancel it without a token; repeatable' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l scopes-claim -d 'JWTMiddleware(scopes_claim=NAME): the top-level claim holding the scopes, e.g. permissions (Auth0 RBAC, WorkOS) or scp (Okta) [default: scopes]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l user-id-claim -d 'JWTMiddleware(user_id_claim=NAME): the claim holding the user id, e.g. oid (Entra ID) [default: sub]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l token-source -d 'JWTMiddleware(token_source=...): where the server reads the token: header, cookie, or both (header first) [default: header]' -r -f -a "header\t''
cookie\t''
both\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l cookie-name -d 'JWTMiddleware(cookie_name=NAME): the cookie read with --token-source cookie or both [default: access_token]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l roles-file -d 'The server\'s managed roles (docs/roles.md) [default: the key store\'s roles.json, if any]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l url -d 'Ask the running AgentOS too: send --request (default GET /agents) with the token and print its real answer next to the prediction' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l timeout -d 'With --url: seconds to wait for each answer' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l authz-token -d 'With --url: an admin token to read the server\'s roles from its /authz API (switches from --roles-file)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l no-verify-aud -d 'Do not check aud (AgentOS\'s default, verify_audience=False)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l no-token -d 'Ask about a request without any token (what --request gets with no Authorization header)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l no-authorization -d 'The server runs with a key but authorization=False: tokens are validated, no scope is checked'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l mcp -d 'The server runs AgentOS\'s MCP server (AgentOS(mcp=True); enable_mcp_server=True before agno 3.0): /mcp and its routes are served, though GET /openapi.json does not list them'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l public -d 'The server has AgentOS(public=PublicSurface(...)) (agno 3.0.9 on): anonymous GET /agents, /teams, /info; implied by the --public-* flags'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l public-mcp -d 'PublicSurface(mcp=True): anyone may use the MCP server at /mcp (implies --mcp)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l no-roles -d 'Decide on scopes alone, ignoring the key store\'s roles.json'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l send -d 'With --url: really send a request that is not GET (it runs or changes things on the server when it is let through)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l json -d 'Print {"status","reason","detail","fix"} as JSON on stdout (with --url: plus "agree", "server", "predicted")'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l alg -d 'The algorithm the AgentOS code configures (env vars cannot set it) [default: the key store\'s alg (what keygen told AgentOS to use), else RS256 as AgentOS; with --url, the alg of a token the server verified]' -r -f -a "RS256\t''
ES256\t''
HS256\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l os-id -d 'The AgentOS id; with it, aud is checked as verify_audience=True does' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l env-file -d 'Check the variables of this .env file, read as python-dotenv and uvicorn --env-file read it (its values win over this shell\'s)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l token -d 'Also verify this token under this environment (- reads stdin)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l request -d 'With --token: the route to check scopes for, e.g. "GET /agents"' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l agno -d 'The agno release the server runs (e.g. 2.7.0; default: the key store\'s agno_version, else the newest modelled)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l scope-mappings -d 'The server\'s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store\'s scope_mappings)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l routes -d 'The server\'s OpenAPI document (curl HOST/openapi.json > routes.json): a route it lacks gets 404' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l mount-prefix -d 'AgentOS is mounted under this path of a larger app (app.mount("/api", agent_os.get_app())): --request paths are then whole, e.g. "GET /api/agents"' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l public-agent -d 'PublicSurface(agents=[...]) selects this agent: anyone may run and cancel it without a token; repeatable' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l public-team -d 'PublicSurface(teams=[...]) selects this team: anyone may run and cancel it without a token; repeatable' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l scopes-claim -d 'JWTMiddleware(scopes_claim=NAME): the top-level claim holding the scopes, e.g. permissions (Auth0 RBAC, WorkOS) or scp (Okta) [default: scopes]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l user-id-claim -d 'JWTMiddleware(user_id_claim=NAME): the claim holding the user id, e.g. oid (Entra ID) [default: sub]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l token-source -d 'JWTMiddleware(token_source=...): where the server reads the token: header, cookie, or both (header first) [default: header]' -r -f -a "header\t''
cookie\t''
both\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l cookie-name -d 'JWTMiddleware(cookie_name=NAME): the cookie read with --token-source cookie or both [default: access_token]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l roles-file -d 'The server\'s managed roles, checked and used for --token [default: the key store\'s roles.json, if any]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l url -d 'Ask the running AgentOS too: its /info (agno version, os_id, auth mode) and, with --token, its real answer to --request' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l timeout -d 'With --url or --issuer: seconds to wait for each answer' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l issuer -d 'Print the AgentOS configuration that accepts this OpenID provider\'s tokens (its discovery document and JWKS are fetched; --token reads audience and claims from a sample access token)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l ca-file -d 'With --issuer: PEM file of the CA that signed the provider\'s certificate (trusted instead of the system\'s roots)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l jwks -d 'With --issuer: the JWKS file AgentOS will read (kept fresh by jwks sync)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l no-authorization -d 'The server runs with a key but authorization=False: tokens are validated, no scope is checked'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l mcp -d 'The server runs AgentOS\'s MCP server (AgentOS(mcp=True); enable_mcp_server=True before agno 3.0): /mcp and its routes are served, though GET /openapi.json does not list them'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l public -d 'The server has AgentOS(public=PublicSurface(...)) (agno 3.0.9 on): anonymous GET /agents, /teams, /info; implied by the --public-* flags'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l public-mcp -d 'PublicSurface(mcp=True): anyone may use the MCP server at /mcp (implies --mcp)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l send -d 'With --url: really send a --request that is not GET (it runs or changes things on the server when it is let through)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l json -d 'Print {"ok","findings":[...],"verdict"} as JSON'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l roles-file -d 'The server\'s managed roles (docs/roles.md) [default: the key store\'s roles.json, if any]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l role -d 'Print this role\'s scopes (allow and deny)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l subject -d 'Print what this subject (a token\'s sub without a roles claim) resolves to' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l agno -d 'The agno release the server runs (e.g. 2.7.0; default: the key store\'s agno_version, else the newest modelled)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l scope-mappings -d 'The server\'s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store\'s scope_mappings)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l save -d 'Check the roles file and store it in the key store (roles.json, and its roles_claim as mint\'s default)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l json -d 'Print {"forms","resources","routes","presets"} as JSON'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l listen -d 'Address to listen on' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l tls-cert -d 'TLS certificate chain (PEM); with --tls-key' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l tls-key -d 'TLS private key (PEM); with --tls-cert' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l issuer -d 'The issuer URL (iss of tokens, RFC 8414 metadata) [default: the key store\'s iss, else the listen URL]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l exchange -d 'RFC 8693 token exchange: trusted identity providers, a JSON file {"issuers": [{"issuer", "audience", "scopes_claim", "map", "roles_claim", "roles_map", "ca_file"}]} (docs/serve.md)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l rate-limit -d 'Token requests a client may make per second (a burst of twice that); 0 = no limit' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l max-concurrency -d 'Requests handled at once; more get 503 with Retry-After' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l timeout -d 'Time a client gets for the TLS handshake, the request head and the body (slow clients are cut off)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l agno -d 'The agno release the server runs (e.g. 2.7.0; default: the key store\'s agno_version, else the newest modelled)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l scope-mappings -d 'The server\'s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store\'s scope_mappings)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l check -d 'Validate the configuration (key, clients, TLS, address) and exit'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -f -a "add" -d 'Register a client; its secret (256 random bits) is printed once on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -f -a "list" -d 'List the clients: id, scopes, roles, audience, lifetime (never a secret)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -f -a "remove" -d 'Remove a client: `serve` refuses its secret from the next request on'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -f -a "rotate-secret" -d 'Give a client a new secret (printed once); the old one stops working at once'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and not __fish_seen_subcommand_from add list remove rotate-secret help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -l scopes -d 'Scopes its tokens may carry, comma- or space-separated (checked against the agno release)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -l roles -d 'Roles its tokens carry (servers with managed roles), comma-separated' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -l aud -d 'The AgentOS id its tokens are for [default: the key store\'s aud]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -l ttl -d 'Lifetime of its tokens' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -l agno -d 'The agno release the server runs (e.g. 2.7.0; default: the key store\'s agno_version, else the newest modelled)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -l scope-mappings -d 'The server\'s custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store\'s scope_mappings)' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -l json -d 'Print {"client_id","client_secret"} on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from list" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from list" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from list" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from list" -l json -d 'Print {"clients": [{"client_id", "scopes", "roles", "aud", "ttl", "created"}]} on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from remove" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from remove" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from remove" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from remove" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from rotate-secret" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from rotate-secret" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from rotate-secret" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from rotate-secret" -l json -d 'Print {"client_id","client_secret"} on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from rotate-secret" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from rotate-secret" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from rotate-secret" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from rotate-secret" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from help" -f -a "add" -d 'Register a client; its secret (256 random bits) is printed once on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the clients: id, scopes, roles, audience, lifetime (never a secret)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a client: `serve` refuses its secret from the next request on'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from help" -f -a "rotate-secret" -d 'Give a client a new secret (printed once); the old one stops working at once'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand clients; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand completions" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand completions" -l lock-timeout -d 'Give up waiting for a lock after DUR [default: 30s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand completions" -l password-file -d 'Password of encrypted keys: the file\'s first line [env: AGENTOS_AUTH_PASSWORD_FILE]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand completions" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand completions" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand completions" -s v -l verbose -d 'Also print notes that do not change the answer'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand completions" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "keygen" -d 'Generate a key pair (RS256, ES256) or an HS256 secret'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "export" -d 'Print a public key as PEM, JWK, JWKS or env/.env lines'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "mint" -d 'Mint a token AgentOS accepts'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "jwks" -d 'Manage the JWKS file AgentOS reads (JWT_JWKS_FILE)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "inspect" -d 'Decode a token without verifying it: header, claims, times'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "verify" -d 'What AgentOS (agno 2.3.13 to 3.1.10) answers to a token, and why'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "doctor" -d 'Check the key settings AgentOS reads from its environment'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "scopes" -d 'Scope reference and mint presets; a role\'s or subject\'s scopes'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "serve" -d 'Run the OAuth token service: AgentOS tokens for clients'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "clients" -d 'Manage the OAuth clients of `serve` (in the key store)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "completions" -d 'Print a shell completion script on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes serve clients completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from jwks" -f -a "list" -d 'List the keys of a JWKS: kid, algorithm, size or curve, which one signs now'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from jwks" -f -a "add" -d 'Publish the public part of a key (private or public PEM, or a JWK) in a JWKS'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from jwks" -f -a "remove" -d 'Remove one key by kid from the JWKS and the key ring; its files move to DIR/removed/'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from jwks" -f -a "rotate" -d 'Make a new signing key: private key into the key directory, public JWK into the JWKS'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from jwks" -f -a "use" -d 'Make a key of the ring the signing key (e.g. one published with rotate --stage)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from jwks" -f -a "prune" -d 'Drop old keys of the ring from the JWKS (never the signing key)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from jwks" -f -a "sync" -d 'Copy an identity provider\'s signing keys into a JWKS file AgentOS reads (keys of other sources in the file stay)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from clients" -f -a "add" -d 'Register a client; its secret (256 random bits) is printed once on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from clients" -f -a "list" -d 'List the clients: id, scopes, roles, audience, lifetime (never a secret)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from clients" -f -a "remove" -d 'Remove a client: `serve` refuses its secret from the next request on'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from clients" -f -a "rotate-secret" -d 'Give a client a new secret (printed once); the old one stops working at once'
