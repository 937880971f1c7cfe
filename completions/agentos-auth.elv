
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
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand keygen 'Generate a key pair (RS256, ES256) or an HS256 secret'
            cand export 'Print the public form of a key: PEM, JWK, JWKS, or env/.env lines for AgentOS'
            cand mint 'Mint a token AgentOS accepts'
            cand jwks 'Manage a JWKS file by kid: add, rotate, remove, list'
            cand inspect 'Decode a token without verifying it (stub)'
            cand verify 'Verify a token exactly as AgentOS would (stub)'
            cand doctor 'Check the environment AgentOS reads (stub)'
            cand scopes 'AgentOS scope reference and mint presets (stub)'
            cand completions 'Print a shell completion script on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentos-auth;keygen'= {
            cand --alg 'Algorithm the key is for [default: RS256, AgentOS''s default; asked at a terminal]'
            cand --bits 'RSA key size in bits'
            cand --kid 'Key id [default: the RFC 7638 thumbprint of the public key]'
            cand --aud 'AgentOS id to use as the default audience of minted tokens (store only)'
            cand --sub 'Default subject of minted tokens (store only)'
            cand --out-dir 'Write the files here instead of into the key store'
            cand --name 'File name stem with --out-dir: NAME.key.pem, NAME.pub.pem, NAME.secret'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --force 'Replace existing key files'
            cand --json 'Print {"alg","kid","private_key","public_key"} on stdout'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;export'= {
            cand --key 'Key file (private or public PEM, JWK, or HS256 secret), - for stdin [default: the store''s signing key]'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --kid 'kid for jwk/jwks output [default: the store''s kid, else the thumbprint]'
            cand --alg 'Algorithm of the key file (needed to read a raw HS256 secret)'
            cand --var 'Variable name for env/dotenv'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --include-secret 'Allow printing an HS256 secret (env, dotenv, jwk)'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'agentos-auth;mint'= {
            cand --key 'Signing key file (PEM, JWK or HS256 secret), - for stdin [default: the store''s signing key]'
            cand --key-content 'Signing key content itself (for CI secrets); --key wins'
            cand --sub 'Subject (user id) [default: the store''s, else the OS user name]'
            cand --aud 'Audience: the AgentOS id (repeat for a list) [default: the store''s]'
            cand -s 'Scopes, comma-separated and/or repeated, e.g. agents:read,agents:my-agent:run'
            cand --scopes 'Scopes, comma-separated and/or repeated, e.g. agents:read,agents:my-agent:run'
            cand --preset 'Scope preset (see `agentos-auth scopes`): admin, read-only, run-agent:<id>, ...'
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
            cand --alg 'Algorithm; must match the key (needed to read a raw HS256 secret)'
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand --allow-unknown-scopes 'Accept scopes outside AgentOS''s default route map'
            cand --no-exp 'Mint a token that never expires (AgentOS accepts it forever)'
            cand --no-iat 'Leave out iat'
            cand --json 'Print {"token","header","claims","expires_at"} instead of the bare token'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;jwks'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List the keys of a JWKS (stub)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentos-auth;jwks;list'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;jwks;help'= {
            cand list 'List the keys of a JWKS (stub)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentos-auth;jwks;help;list'= {
        }
        &'agentos-auth;jwks;help;help'= {
        }
        &'agentos-auth;inspect'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;verify'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;doctor'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;scopes'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;completions'= {
            cand --home 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]'
            cand -q 'Print no messages on stderr (errors still print)'
            cand --quiet 'Print no messages on stderr (errors still print)'
            cand --no-input 'Never prompt for a missing value; fail instead'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentos-auth;help'= {
            cand keygen 'Generate a key pair (RS256, ES256) or an HS256 secret'
            cand export 'Print the public form of a key: PEM, JWK, JWKS, or env/.env lines for AgentOS'
            cand mint 'Mint a token AgentOS accepts'
            cand jwks 'Manage a JWKS file by kid: add, rotate, remove, list'
            cand inspect 'Decode a token without verifying it (stub)'
            cand verify 'Verify a token exactly as AgentOS would (stub)'
            cand doctor 'Check the environment AgentOS reads (stub)'
            cand scopes 'AgentOS scope reference and mint presets (stub)'
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
            cand list 'List the keys of a JWKS (stub)'
        }
        &'agentos-auth;help;jwks;list'= {
        }
        &'agentos-auth;help;inspect'= {
        }
        &'agentos-auth;help;verify'= {
        }
        &'agentos-auth;help;doctor'= {
        }
        &'agentos-auth;help;scopes'= {
        }
        &'agentos-auth;help;completions'= {
        }
        &'agentos-auth;help;help'= {
        }
    ]
    $completions[$command]
}
