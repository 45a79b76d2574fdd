#Requires -Version 7.0
<#
    Where the module gets its key and endpoint (Connect-Aurous, else the environment variables), what it refuses
    at Connect, and that the key never shows in any stream, view or error.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Emulator = Start-TestEmulator
    $script:Key = ConvertTo-SecureString $TeamAKey -AsPlainText -Force
}

AfterAll {
    Disconnect-Aurous
    Stop-TestEmulator
}

Describe 'Without Connect-Aurous' {
    It 'ends at once with MissingApiKey, saying how to connect, when no key is anywhere' {
        $printed = Invoke-TestPwsh -NoConnect -Environment @{ AUROUS_API_KEY = $null } @'
try { 'char_a', 'char_b' | Get-AurousCharacter; 'not reached' }
catch { "id=$($_.FullyQualifiedErrorId) category=$($_.CategoryInfo.Category) message=$_" }
'@

        $printed | Should -Match 'id=MissingApiKey'
        $printed | Should -Match 'category=AuthenticationError'
        $printed | Should -Match 'Connect-Aurous'
        $printed | Should -Match 'AUROUS_API_KEY'
        $printed | Should -Not -Match 'not reached'
    }

    It 'works from the environment variables alone' {
        $id = (& { Connect-TestEmulator; New-TestCharacter 'From env'; Disconnect-Aurous }).Id
        $printed = Invoke-TestPwsh -NoConnect -Environment @{ AUROUS_API_KEY = $TeamAKey; AUROUS_BASE_URL = $Emulator.BaseUri; AUROUS_VERSION = '2026-05-15' } @"
(Get-AurousCharacter -Id '$id').Id
Get-AurousContext | ForEach-Object { "source=`$(`$_.Source) version=`$(`$_.ApiVersion)" }
"@

        $printed | Should -Match ([regex]::Escape($id))
        $printed | Should -Match 'source=Environment version=2026-05-15'
    }

    It 'prefers Connect-Aurous, and falls back to the environment after Disconnect-Aurous' {
        $id = (& { Connect-TestEmulator; New-TestCharacter "Team A's"; Disconnect-Aurous }).Id
        # Team B's key cannot see team A's character: the server answers 404 rather than leak its existence.
        $printed = Invoke-TestPwsh -Environment @{ AUROUS_API_KEY = $TeamBKey; AUROUS_BASE_URL = $Emulator.BaseUri } @"
'connected=' + (Get-AurousCharacter -Id '$id').Id + ' source=' + (Get-AurousContext).Source
Disconnect-Aurous
Get-AurousCharacter -Id '$id' -ErrorAction SilentlyContinue -ErrorVariable failures
'disconnected=' + `$failures[0].FullyQualifiedErrorId + ' source=' + (Get-AurousContext).Source
"@

        $printed | Should -Match "connected=$id source=Session"
        $printed | Should -Match 'disconnected=CharacterNotFound,\S+ source=Environment'
    }
}

Describe 'Connect-Aurous' {
    AfterEach { Disconnect-Aurous }

    It 'keeps the proxy and shows its user, never its password' {
        $credential = [pscredential]::new('proxy-user', (ConvertTo-SecureString 'proxy-password-canary' -AsPlainText -Force))

        $context = Connect-Aurous -ApiKey $Key -BaseUri $Emulator.BaseUri -Proxy 'http://127.0.0.1:3128/' -ProxyCredential $credential -ApiVersion 2026-05-15 -PassThru -SkipCheck

        "$($context.Proxy)" | Should -Be 'http://127.0.0.1:3128/'
        $context.ProxyUserName | Should -Be 'proxy-user'
        $context.ApiVersion | Should -Be '2026-05-15'
        "$($context.Source)" | Should -Be 'Session'
        ($context | ConvertTo-Json | ConvertFrom-Json).Source | Should -Be 'Session' -Because 'ConvertTo-Json without switches should show the word'
        $shown = ($context | Format-List * | Out-String) + ($context | ConvertTo-Json -Depth 3) + [System.Management.Automation.PSSerializer]::Serialize($context)
        $shown | Should -Not -Match 'proxy-password-canary'
        $shown | Should -Not -Match ([regex]::Escape($TeamAKey))
    }

    It 'refuses <Case>, and leaves no context behind' -TestCases @(
        @{ Case = '-ProxyCredential without -Proxy'; ErrorId = 'InvalidConfiguration'; Script = { Connect-Aurous -ApiKey $Key -ProxyCredential ([pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force))) } }
        @{ Case = 'a version that is not a date'; ErrorId = 'ParameterArgumentValidationError'; Script = { Connect-Aurous -ApiKey $Key -ApiVersion 'latest' } }
        @{ Case = 'plain http to a remote host'; ErrorId = 'InsecureBaseUri'; Script = { Connect-Aurous -ApiKey $Key -BaseUri 'http://api.example.com/' } }
    ) {
        param($Case, $ErrorId, $Script)
        $failure = $null
        try { & $Script } catch { $failure = $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike "$ErrorId*"
        "$failure" | Should -Not -Match ([regex]::Escape($TeamAKey))
        Get-AurousContext -WarningAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a key the server refuses, naming the server, and keeps the connection it had' {
        Connect-TestEmulator
        $before = Get-AurousContext
        $wrong = ConvertTo-SecureString 'al_live_wrong_key_canary_0002' -AsPlainText -Force

        $failure = try { Connect-Aurous -ApiKey $wrong -BaseUri $Emulator.BaseUri -ApiVersion 2026-05-15 } catch { $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
        "$failure" | Should -Match "^Connect-Aurous checked the connection and stored nothing\. .*HTTP 401.*from $([regex]::Escape("$($Emulator.BaseUri)".TrimEnd('/')))"
        "$failure" | Should -Not -Match 'canary|SkipCheck'
        $after = Get-AurousContext
        $after.ApiKeyHint | Should -Be $before.ApiKeyHint
        $after.ApiVersion | Should -BeNullOrEmpty -Because 'the refused connection changed nothing'
    }

    It 'refuses an endpoint it cannot reach with ConnectionFailed, naming the host and -SkipCheck, and stores nothing' {
        $failure = try { Connect-Aurous -ApiKey $Key -BaseUri 'http://127.0.0.1:1/' } catch { $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
        "$failure" | Should -Match ([regex]::Escape('Could not reach http://127.0.0.1:1 (GET /v1/characters?limit=1, 2 attempts)'))
        "$failure" | Should -Match 'run Connect-Aurous with -SkipCheck'
        Get-AurousContext -WarningAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'stores an unreachable endpoint with -SkipCheck, sending nothing' {
        $context = Connect-Aurous -ApiKey $Key -BaseUri 'http://127.0.0.1:1/' -SkipCheck -PassThru -Verbose 4>&1

        @($context | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^GET ' }) | Should -BeNullOrEmpty
        "$((Get-AurousContext).BaseUri)" | Should -Be 'http://127.0.0.1:1/'
    }

    It 'checks a good key with one read of one character, and stores it' {
        $lines = Connect-Aurous -ApiKey $Key -BaseUri $Emulator.BaseUri -Verbose 4>&1

        @($lines.Message | Where-Object { $_ -match '^GET ' }) | Should -HaveCount 1
        $lines.Message | Should -Contain "$("$($Emulator.BaseUri)".TrimEnd('/')) accepts the key $((Get-AurousContext).ApiKeyHint)."
        $lines[0].Message | Should -Match '^GET /v1/characters\?limit=1 -> 200 '
        "$((Get-AurousContext).BaseUri)" | Should -Be $Emulator.BaseUri
    }

    It 'refuses to connect with no key at all' {
        $printed = Invoke-TestPwsh -NoConnect -Environment @{ AUROUS_API_KEY = $null } @'
try { Connect-Aurous } catch { "id=$($_.FullyQualifiedErrorId)" }
'@
        $printed | Should -Match 'id=MissingApiKey'
    }
}

Describe 'Secrets' {
    It 'never shows the key in any stream, view or error' {
        Connect-TestEmulator
        $id = (New-TestCharacter 'Secret keeper' -Complete).Id
        $wrong = ConvertTo-SecureString 'al_live_wrong_key_canary_0001' -AsPlainText -Force

        $result = Invoke-InTestRunspace {
            param($Id, $Wrong, $BaseUri)
            $DebugPreference = 'Continue'; $VerbosePreference = 'Continue'
            Get-AurousCharacter -Id $Id, 'char_missing'
            Set-AurousCharacter -Id $Id -HairColor green -PassThru
            Invoke-AurousResynthesis -Id $Id -Pose back -Confirm:$false
            Get-AurousContext | Format-List * | Out-String
            (Get-AurousContext).ToString()
            Get-AurousContext | ConvertTo-Json -Depth 3
            Connect-Aurous -ApiKey $Wrong -BaseUri $BaseUri -PassThru
            Get-AurousCharacter -Id $Id
        } -ArgumentList $id, $wrong, $Emulator.BaseUri

        $result.Verbose | Should -Not -BeNullOrEmpty
        ($result.Debug.Message -match 'green') | Should -Not -BeNullOrEmpty
        ($result.Error | Where-Object { "$($_.CategoryInfo.Category)" -eq 'AuthenticationError' }) | Should -Not -BeNullOrEmpty
        $everything = ($result.Output | Out-String) + ($result.Error | Out-String) + ($result.Verbose | Out-String) + ($result.Debug | Out-String) + ($result.Warning | Out-String)
        $everything | Should -Not -Match ([regex]::Escape($TeamAKey))
        $everything | Should -Not -Match 'al_live_wrong_key_canary_0001'
        $everything | Should -Not -Match 'emulator_team'
        $everything | Should -Match 'al_live_\*\*\*\*'
        Disconnect-Aurous
    }
}

Describe 'Errors that say what and where' {
    BeforeAll { Connect-TestEmulator }
    AfterAll { Disconnect-Aurous }

    It 'names the id a not-found error is about' {
        $missing = 'char_01HXMQ7Z3K8Y2NNOSUCHCHARACT'

        Get-AurousCharacter -Id $missing -ErrorVariable failures -ErrorAction SilentlyContinue

        "$($failures[0])" | Should -Match ([regex]::Escape("Character ${missing}: No such character"))
    }

    It 'names a piped character by id and name when the server refuses it' {
        $character = New-TestCharacter 'Unsaveable'

        $character | Save-AurousCharacter -ErrorVariable failures -ErrorAction SilentlyContinue

        "$($failures[0])" | Should -Match ([regex]::Escape("Character $($character.Id) (Unsaveable): "))
    }

    It 'names the host it could not reach, and what to check' {
        $printed = Invoke-TestPwsh -NoConnect @'
Connect-Aurous -ApiKey (ConvertTo-SecureString 'al_live_emulator_team_a' -AsPlainText -Force) -BaseUri http://127.0.0.1:1/ -SkipCheck
Get-AurousCharacter -Id char_01HXMQ7Z3K8Y2NNOSUCHCHARACT -ErrorVariable failures -ErrorAction SilentlyContinue
"id=$($failures[0].FullyQualifiedErrorId) message=$($failures[0])"
'@
        $printed | Should -Match 'id=ConnectionFailed'
        $printed | Should -Match ([regex]::Escape('Could not reach http://127.0.0.1:1 (GET /v1/characters/char_01HXMQ7Z3K8Y2NNOSUCHCHARACT, '))
        $printed | Should -Match 'Check that the server is running'
    }
}

Describe 'Connect-Aurous checks its settings before any request' {
    AfterEach { Disconnect-Aurous }

    It 'refuses <Case>' -TestCases @(
        @{ Case = 'a proxy scheme HttpClient cannot use'; ErrorId = 'ParameterArgumentValidationError'; Script = { Connect-Aurous -ApiKey $Key -Proxy 'ftp://proxy.example.com:21/' } }
        @{ Case = 'a proxy address carrying a password'; ErrorId = 'ParameterArgumentValidationError'; Script = { Connect-Aurous -ApiKey $Key -Proxy 'http://bob:pw-canary@proxy.example.com:3128/' } }
        @{ Case = 'a version in non-ASCII digits'; ErrorId = 'ParameterArgumentValidationError'; Script = { Connect-Aurous -ApiKey $Key -ApiVersion "$([char]0x662)$([char]0x660)$([char]0x662)$([char]0x666)-$([char]0x660)$([char]0x665)-$([char]0x661)$([char]0x665)" } }
        @{ Case = 'a version with a trailing newline'; ErrorId = 'ParameterArgumentValidationError'; Script = { Connect-Aurous -ApiKey $Key -ApiVersion "2026-05-15`n" } }
    ) {
        param($Case, $ErrorId, $Script)
        $failure = $null
        try { & $Script } catch { $failure = $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike "$ErrorId*"
        "$failure" | Should -Not -Match 'pw-canary'
        Get-AurousContext -WarningAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'keeps a password in AUROUS_BASE_URL out of every field of the error' {
        $printed = Invoke-TestPwsh -NoConnect -Environment @{ AUROUS_API_KEY = $TeamAKey; AUROUS_BASE_URL = 'http://bob:pw-canary@127.0.0.1:5080/' } @'
try { Get-AurousCharacter -Id char_01HXMQ7Z3K8Y2NNOSUCHCHARACT }
catch { "id=$($_.FullyQualifiedErrorId)"; $_ | Format-List * -Force | Out-String; $_.CategoryInfo | Format-List * | Out-String; "$($_.TargetObject)" }
'@
        $printed | Should -Match 'id=InvalidConfiguration'
        $printed | Should -Not -Match 'pw-canary'
    }
}
