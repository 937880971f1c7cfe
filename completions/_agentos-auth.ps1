
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
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a key pair (RS256, ES256) or an HS256 secret')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print the public form of a key: PEM, JWK, JWKS, or env/.env lines for AgentOS')
            [CompletionResult]::new('mint', 'mint', [CompletionResultType]::ParameterValue, 'Mint a token AgentOS accepts')
            [CompletionResult]::new('jwks', 'jwks', [CompletionResultType]::ParameterValue, 'Manage a JWKS file by kid: add, rotate, remove, list')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Decode a token without verifying it (stub)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a token exactly as AgentOS would (stub)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the environment AgentOS reads (stub)')
            [CompletionResult]::new('scopes', 'scopes', [CompletionResultType]::ParameterValue, 'AgentOS scope reference and mint presets (stub)')
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
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write the files here instead of into the key store')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'File name stem with --out-dir: NAME.key.pem, NAME.pub.pem, NAME.secret')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing key files')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"alg","kid","private_key","public_key"} on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;export' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key file (private or public PEM, JWK, or HS256 secret), - for stdin [default: the store''s signing key]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'kid for jwk/jwks output [default: the store''s kid, else the thumbprint]')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Algorithm of the key file (needed to read a raw HS256 secret)')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'Variable name for env/dotenv')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--include-secret', '--include-secret', [CompletionResultType]::ParameterName, 'Allow printing an HS256 secret (env, dotenv, jwk)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'agentos-auth;mint' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Signing key file (PEM, JWK or HS256 secret), - for stdin [default: the store''s signing key]')
            [CompletionResult]::new('--key-content', '--key-content', [CompletionResultType]::ParameterName, 'Signing key content itself (for CI secrets); --key wins')
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, 'Subject (user id) [default: the store''s, else the OS user name]')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'Audience: the AgentOS id (repeat for a list) [default: the store''s]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Scopes, comma-separated and/or repeated, e.g. agents:read,agents:my-agent:run')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Scopes, comma-separated and/or repeated, e.g. agents:read,agents:my-agent:run')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Scope preset (see `agentos-auth scopes`): admin, read-only, run-agent:<id>, ...')
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
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Algorithm; must match the key (needed to read a raw HS256 secret)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('--allow-unknown-scopes', '--allow-unknown-scopes', [CompletionResultType]::ParameterName, 'Accept scopes outside AgentOS''s default route map')
            [CompletionResult]::new('--no-exp', '--no-exp', [CompletionResultType]::ParameterName, 'Mint a token that never expires (AgentOS accepts it forever)')
            [CompletionResult]::new('--no-iat', '--no-iat', [CompletionResultType]::ParameterName, 'Leave out iat')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"token","header","claims","expires_at"} instead of the bare token')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;jwks' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys of a JWKS (stub)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentos-auth;jwks;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;jwks;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys of a JWKS (stub)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentos-auth;jwks;help;list' {
            break
        }
        'agentos-auth;jwks;help;help' {
            break
        }
        'agentos-auth;inspect' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;verify' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;doctor' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;scopes' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;completions' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still print)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt for a missing value; fail instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentos-auth;help' {
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a key pair (RS256, ES256) or an HS256 secret')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print the public form of a key: PEM, JWK, JWKS, or env/.env lines for AgentOS')
            [CompletionResult]::new('mint', 'mint', [CompletionResultType]::ParameterValue, 'Mint a token AgentOS accepts')
            [CompletionResult]::new('jwks', 'jwks', [CompletionResultType]::ParameterValue, 'Manage a JWKS file by kid: add, rotate, remove, list')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Decode a token without verifying it (stub)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a token exactly as AgentOS would (stub)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the environment AgentOS reads (stub)')
            [CompletionResult]::new('scopes', 'scopes', [CompletionResultType]::ParameterValue, 'AgentOS scope reference and mint presets (stub)')
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
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys of a JWKS (stub)')
            break
        }
        'agentos-auth;help;jwks;list' {
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
