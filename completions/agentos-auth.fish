# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_agentos_auth_global_optspecs
    string join \n home= q/quiet no-input h/help V/version
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
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -s V -l version -d 'Print version'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "keygen" -d 'Generate a key pair (RS256, ES256) or an HS256 secret'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "export" -d 'Print the public form of a key: PEM, JWK, JWKS, or env/.env lines for AgentOS'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "mint" -d 'Mint a token AgentOS accepts'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "jwks" -d 'Manage a JWKS file by kid: add, rotate, remove, list'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "inspect" -d 'Decode a token without verifying it (stub)'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "verify" -d 'Verify a token exactly as AgentOS would (stub)'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "doctor" -d 'Check the environment AgentOS reads (stub)'
complete -c agentos-auth -n "__fish_agentos_auth_needs_command" -f -a "scopes" -d 'AgentOS scope reference and mint presets (stub)'
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
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l out-dir -d 'Write the files here instead of into the key store' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l name -d 'File name stem with --out-dir: NAME.key.pem, NAME.pub.pem, NAME.secret' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l force -d 'Replace existing key files'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l json -d 'Print {"alg","kid","private_key","public_key"} on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand keygen" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l key -d 'Key file (private or public PEM, JWK, or HS256 secret), - for stdin [default: the store\'s signing key]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -s f -l format -d 'Output format' -r -f -a "pem\t'SPKI public key PEM'
jwk\t'One public JWK (JSON)'
jwks\t'A JWKS {"keys":[...]} for JWT_JWKS_FILE'
env\t'A POSIX shell line: eval "$(agentos-auth export --format env)"'
dotenv\t'A .env line (python-dotenv, docker compose)'"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l kid -d 'kid for jwk/jwks output [default: the store\'s kid, else the thumbprint]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l alg -d 'Algorithm of the key file (needed to read a raw HS256 secret)' -r -f -a "RS256\t''
ES256\t''
HS256\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l var -d 'Variable name for env/dotenv' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l include-secret -d 'Allow printing an HS256 secret (env, dotenv, jwk)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l key -d 'Signing key file (PEM, JWK or HS256 secret), - for stdin [default: the store\'s signing key]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l key-content -d 'Signing key content itself (for CI secrets); --key wins' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l sub -d 'Subject (user id) [default: the store\'s, else the OS user name]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l aud -d 'Audience: the AgentOS id (repeat for a list) [default: the store\'s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -s s -l scopes -d 'Scopes, comma-separated and/or repeated, e.g. agents:read,agents:my-agent:run' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l preset -d 'Scope preset (see `agentos-auth scopes`): admin, read-only, run-agent:<id>, ...' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -s e -l expires-in -d 'Lifetime [default: 1h, or the store\'s]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l exp -d 'Absolute expiry time instead of --expires-in' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l iss -d 'Issuer claim' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l nbf -d 'Not-before: a duration from now or a time' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l jti -d 'Add a jti claim (random unless given)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l session-id -d 'session_id claim (AgentOS uses it as the session id)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l claim -d 'Extra claim; VALUE is JSON if it parses, else a string (repeatable)' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l claims -d 'Extra claims as a JSON object, or @FILE' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l kid -d 'kid header [default: the store\'s kid, else the key\'s thumbprint]' -r
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l alg -d 'Algorithm; must match the key (needed to read a raw HS256 secret)' -r -f -a "RS256\t''
ES256\t''
HS256\t''"
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l allow-unknown-scopes -d 'Accept scopes outside AgentOS\'s default route map'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l no-exp -d 'Mint a token that never expires (AgentOS accepts it forever)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l no-iat -d 'Leave out iat'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l json -d 'Print {"token","header","claims","expires_at"} instead of the bare token'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand mint" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list help" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list help" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list help" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list help" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list help" -f -a "list" -d 'List the keys of a JWKS (stub)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and not __fish_seen_subcommand_from list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the keys of a JWKS (stub)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand jwks; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand verify" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand scopes" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand completions" -l home -d 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]' -r -F
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand completions" -s q -l quiet -d 'Print no messages on stderr (errors still print)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand completions" -l no-input -d 'Never prompt for a missing value; fail instead'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand completions" -s h -l help -d 'Print help'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes completions help" -f -a "keygen" -d 'Generate a key pair (RS256, ES256) or an HS256 secret'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes completions help" -f -a "export" -d 'Print the public form of a key: PEM, JWK, JWKS, or env/.env lines for AgentOS'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes completions help" -f -a "mint" -d 'Mint a token AgentOS accepts'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes completions help" -f -a "jwks" -d 'Manage a JWKS file by kid: add, rotate, remove, list'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes completions help" -f -a "inspect" -d 'Decode a token without verifying it (stub)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes completions help" -f -a "verify" -d 'Verify a token exactly as AgentOS would (stub)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes completions help" -f -a "doctor" -d 'Check the environment AgentOS reads (stub)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes completions help" -f -a "scopes" -d 'AgentOS scope reference and mint presets (stub)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes completions help" -f -a "completions" -d 'Print a shell completion script on stdout'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and not __fish_seen_subcommand_from keygen export mint jwks inspect verify doctor scopes completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentos-auth -n "__fish_agentos_auth_using_subcommand help; and __fish_seen_subcommand_from jwks" -f -a "list" -d 'List the keys of a JWKS (stub)'
