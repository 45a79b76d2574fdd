#Requires -Version 7.0
<#
    Issue 9, the client half: errors that name their character and server, bad input refused before anything is sent
    or spent, no credential in any view or error, per-field changes that never lose one another in a process, one word
    for costs, and waits that always end or speak, even against a server that is gone.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-TestSession
    $script:Manifest = Get-TestModuleManifest
    $script:Server = $Emulator.BaseUri.AbsoluteUri.TrimEnd('/')

    # The message a user reads: ErrorDetails when the module added to the exception's, else the exception's.
    function script:Get-Message([System.Management.Automation.ErrorRecord] $Record) { "$Record" }
}

AfterAll { Stop-TestSession }

Describe 'Every error names its target and what to do next' {
    It 'tells the two missing ids apart among good ones, and names the server' {
        $ok = New-TestCharacter 'Present'

        $found = Get-AurousCharacter -Id foo, $ok.Id, 'char_bad' -ErrorVariable failures -ErrorAction SilentlyContinue

        $found.Id | Should -Be $ok.Id
        $failures | Should -HaveCount 2
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'CharacterNotFound,*' }
        Get-Message $failures[0] | Should -Match "^Character foo: No such character \(HTTP 404 resource_not_found, param character_id, from $([regex]::Escape($Server)), request id req_\w+\)\. Check the id"
        Get-Message $failures[1] | Should -Match '^Character char_bad: No such character'
    }

    It 'names a piped character by id and name when a save or a resynthesis is refused, and charges nothing' {
        $synthesizing = New-TestCharacter 'Aurora'
        $reviewing = New-TestCharacter 'Borealis' -Complete
        Set-TestCredits -Credits 2
        try {
            $before = Get-TestLedger

            $synthesizing | Save-AurousCharacter -ErrorVariable saveFailures -ErrorAction SilentlyContinue
            $reviewing | Invoke-AurousResynthesis -Confirm:$false -ErrorVariable paidFailures -ErrorAction SilentlyContinue

            Get-Message $saveFailures[0] | Should -Match "^Character $($synthesizing.Id) \(Aurora\): .*Read the character to see its status"
            Get-Message $paidFailures[0] | Should -Match "^Character $($reviewing.Id) \(Borealis\): This call costs 4 credits and the team has 2"
            $paidFailures[0].FullyQualifiedErrorId | Should -BeLike 'InsufficientCredits,*'
            (Get-TestLedger).charges | Should -HaveCount @($before.charges).Count
        }
        finally { Set-TestCredits -Credits 1000 }
    }

    It 'names the server it could not reach, and says when that is the production default' {
        # A proxy that refuses at once stands in for a network without a route to production.
        $printed = Invoke-TestPwsh -NoConnect @'
Connect-Aurous -ApiKey (ConvertTo-SecureString 'al_live_emulator_team_a' -AsPlainText -Force) -Proxy http://127.0.0.1:1/ -SkipCheck
Get-AurousCharacter -Id char_01HXMQ7Z3K8Y2NNOSUCHCHARACT -ErrorVariable failures -ErrorAction SilentlyContinue
"id=$($failures[0].FullyQualifiedErrorId) message=$($failures[0])"
'@

        $printed | Should -Match 'id=ConnectionFailed,'
        $printed | Should -Match ([regex]::Escape('message=Character char_01HXMQ7Z3K8Y2NNOSUCHCHARACT: Could not reach https://api.aurous-labs.com (the production API, used when no base URI is set) (GET /v1/characters/char_01HXMQ7Z3K8Y2NNOSUCHCHARACT, '))
        $printed | Should -Match 'Check that the server is running and reachable from here'
    }
}

Describe 'Bad input is refused before anything is sent or spent' {
    BeforeEach { $script:Before = Get-TestLedger }

    It 'refuses <Case> in -Attributes, naming the field, and charges nothing' -TestCases @(
        @{ Case = 'a nested hashtable'; Value = @{ x = 1 }; Says = 'got a Hashtable \(a table of values\)' }
        @{ Case = 'a list'; Value = @('black', 'grey'); Says = 'got a list of 2 values' }
        @{ Case = 'a boolean'; Value = $true; Says = 'got the boolean \$true' }
    ) {
        param($Case, $Value, $Says)
        $failure = $null
        try { New-AurousCharacter -Name 'Typed' -Attributes @{ hair_color = $Value } -Confirm:$false } catch { $failure = $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidAttributeValue,*'
        Get-Message $failure | Should -Match "hair_color must be text \(a string\); $Says\."
        (Get-TestLedger).credits | Should -Be $Before.credits
    }

    It 'takes an object with attribute properties, such as a CSV row, for -Attributes' {
        $row = [pscustomobject]@{ hair_color = 'red'; age = '31'; eye_color = '' }

        $character = New-AurousCharacter -Name 'From a row' -Attributes $row -Confirm:$false

        $attributes = (Read-TestCharacter $character.Id).attributes
        $attributes.hair_color | Should -Be 'red'
        $attributes.age | Should -Be 31
        $attributes.eye_color | Should -BeNullOrEmpty
    }

    It 'states the age rule in one wording for -Attributes, -Age, a CSV cell and the server' {
        $id = (New-TestCharacter 'Ageless' -Complete).Id
        $said = @(
            try { Set-AurousCharacter -Id $id -Attributes @{ age = 300 } } catch { "$_" }
            try { Set-AurousCharacter -Id $id -Age 300 } catch { "$_" }
            try { [pscustomobject]@{ Id = $id; Age = 'twenty' } | Set-AurousCharacter -ErrorAction Stop } catch { "$_" }
        )
        $server = try {
            Invoke-RestMethod -Method Patch -Uri "$Server/v1/characters/$id" -Headers @{ 'X-Api-Key' = $TeamAKey } -ContentType 'application/json' -Body '{"attributes":{"age":300}}'
        }
        catch { ($_.ErrorDetails.Message | ConvertFrom-Json).error.message }

        $said[0] | Should -Match 'Age must be a whole number from 0 to 200; got 300\.$'
        $said[1] | Should -Match 'Age must be a whole number from 0 to 200; got 300\.$'
        $said[2] | Should -Match "Age must be a whole number from 0 to 200; got 'twenty'\.$"
        $server | Should -Be 'attributes.age must be a whole number from 0 to 200; got 300.'
        (Read-TestCharacter $id).attributes.age | Should -Be 28
    }

    It 'says the rule for a name that is too long, not PowerShell''s stock words' {
        $failure = try { New-AurousCharacter -Name ('a' * 81) -Confirm:$false } catch { $_ }

        Get-Message $failure | Should -Match 'A character name must be 1 to 80 characters and not blank; got 81 characters\.'
        Get-Message $failure | Should -Not -Match 'The character length'
    }

    It 'refuses a name with half a character (a lone surrogate) before anything is sent, saying where' {
        $failure = try { New-AurousCharacter -Name "Aurora $([char]0xD83C)" -Confirm:$false } catch { $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidCharacterName,*'
        Get-Message $failure | Should -Match 'half a character at position 8'
        (Get-TestLedger).charges | Should -HaveCount @($Before.charges).Count
    }

    It 'refuses <Case> at Connect-Aurous, before any request' -TestCases @(
        @{ Case = 'an ftp proxy'; Arguments = @{ Proxy = 'ftp://proxy.example.com:21/' }; Says = "The proxy scheme 'ftp' is not supported" }
        @{ Case = 'a version in non-ASCII digits'; Arguments = @{ ApiVersion = "$([char]0x662)$([char]0x660)$([char]0x662)$([char]0x666)-$([char]0x660)$([char]0x665)-$([char]0x661)$([char]0x665)" }; Says = 'ASCII digits' }
        @{ Case = 'a version with a trailing newline'; Arguments = @{ ApiVersion = "2026-05-15`n" }; Says = ([regex]::Escape("got '2026-05-15\n'")) }
    ) {
        param($Case, $Arguments, $Says)
        $failure = try { Connect-Aurous -ApiKey (ConvertTo-SecureString $TeamAKey -AsPlainText -Force) -BaseUri $Emulator.BaseUri @Arguments } catch { $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        Get-Message $failure | Should -Match $Says
        (Get-AurousContext).BaseUri | Should -Be $Emulator.BaseUri
    }

    It 'refuses a non-ASCII AUROUS_VERSION on the first call, with no request sent' {
        $printed = Invoke-TestPwsh -NoConnect -Environment @{ AUROUS_API_KEY = $TeamAKey; AUROUS_BASE_URL = $Emulator.BaseUri; AUROUS_VERSION = "2026-05-1$([char]0x665)" } @'
try { Get-AurousCharacter -Id char_01HXMQ7Z3K8Y2NNOSUCHCHARACT -Verbose 4>&1 } catch { "id=$($_.FullyQualifiedErrorId) message=$_" }
'@

        $printed | Should -Match 'id=InvalidConfiguration'
        $printed | Should -Match 'The API version must be a real date written YYYY-MM-DD in ASCII digits'
        $printed | Should -Not -Match 'GET /v1'
    }

    It 'range-checks -TimeoutSec at binding' {
        $failure = try { Wait-AurousCharacter -Id char_01HXMQ7Z3K8Y2NNOSUCHCHARACT -TimeoutSec 5000000 } catch { $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        Get-Message $failure | Should -Match 'TimeoutSec must be from 1 to 604800 seconds \(7 days\); got 5000000\.'
    }

    It 'keeps the path of a base URI in front of every request' {
        Connect-Aurous -BaseUri "$Server/gateway/aurous" -RateLimitMultiplier $Emulator.RateLimitMultiplier -SkipCheck
        try {
            $lines = Get-AurousCharacter -Id char_01HXMQ7Z3K8Y2NNOSUCHCHARACT -Verbose -ErrorVariable failures -ErrorAction SilentlyContinue 4>&1

            "$lines" | Should -Match 'GET /gateway/aurous/v1/characters/char_01HXMQ7Z3K8Y2NNOSUCHCHARACT -> 404'
            Get-Message $failures[0] | Should -Match ([regex]::Escape("from $Server/gateway/aurous,"))
        }
        finally { Connect-TestEmulator }
    }

    It 'refuses one -IdempotencyKey for several piped characters before any request' {
        $characters = New-TestCharacter 'Keyed 1', 'Keyed 2' -Complete
        $before = Get-TestLedger

        $failure = try { $characters | Invoke-AurousResynthesis -IdempotencyKey 'nightly-1' -Confirm:$false -ErrorAction Stop } catch { $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'IdempotencyKeyReused,*'
        "$($failure.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        Get-Message $failure | Should -Match "One idempotency key was given for 2 characters \($($characters[0].Id) \(Keyed 1\), $($characters[1].Id) \(Keyed 2\)\).*Nothing was sent\."
        (Get-TestLedger).credits | Should -Be $before.credits
        $characters | ForEach-Object { (Read-TestCharacter $_.Id).status | Should -Be 'reviewing' }
    }

    It 'refuses a CSV row that repeats an earlier row''s key for another name, and creates the rest' {
        $rows = @(
            [pscustomobject]@{ Name = 'Row 1'; IdempotencyKey = "row-$([guid]::NewGuid())" }
            [pscustomobject]@{ Name = 'Row 2'; IdempotencyKey = "row-$([guid]::NewGuid())" }
        )
        $rows += [pscustomobject]@{ Name = 'Row 3'; IdempotencyKey = $rows[0].IdempotencyKey }

        $created = $rows | New-AurousCharacter -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue

        $created.Name | Should -Be 'Row 1', 'Row 2'
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'IdempotencyKeyReused,*'
        Get-Message $failures[0] | Should -Match "of 'Row 3' was already used for 'Row 1'"
        (Get-TestLedger).credits | Should -Be ($Before.credits - 8)
    }
}

Describe 'No credential shows in a view, an export or an error' {
    It 'refuses a proxy address with a password, pointing to -ProxyCredential' {
        $failure = try { Connect-Aurous -ApiKey (ConvertTo-SecureString $TeamAKey -AsPlainText -Force) -Proxy 'http://bob:pw-canary@proxy.example.com:3128/' } catch { $_ }

        Get-Message $failure | Should -Match '-ProxyCredential'
        ($failure | Format-List * -Force | Out-String) + ($failure.CategoryInfo | Out-String) + "$($failure.TargetObject)" | Should -Not -Match 'pw-canary'
    }

    It 'keeps a -ProxyCredential password out of Get-AurousContext, ConvertTo-Json and Export-Clixml' {
        $credential = [pscredential]::new('bob', (ConvertTo-SecureString 'pw-canary' -AsPlainText -Force))
        $file = Join-Path ([System.IO.Path]::GetTempPath()) "aurous-context-$([guid]::NewGuid().ToString('n')).xml"
        try {
            Connect-Aurous -ApiKey (ConvertTo-SecureString $TeamAKey -AsPlainText -Force) -BaseUri $Emulator.BaseUri -Proxy 'http://proxy.example.com:3128/' -ProxyCredential $credential -SkipCheck
            $context = Get-AurousContext
            $context | Export-Clixml -Path $file

            ($context | Format-List * | Out-String) + ($context | ConvertTo-Json -Depth 5) + (Get-Content -Raw $file) | Should -Not -Match 'pw-canary'
            $context.ProxyUserName | Should -Be 'bob'
        }
        finally {
            Remove-Item -Path $file -ErrorAction SilentlyContinue
            Connect-TestEmulator
        }
    }

    It 'keeps a password in AUROUS_BASE_URL out of TargetObject and CategoryInfo' {
        $printed = Invoke-TestPwsh -NoConnect -Environment @{ AUROUS_API_KEY = $TeamAKey; AUROUS_BASE_URL = 'http://bob:pw-canary@127.0.0.1:5080/' } @'
try { Get-AurousCharacter -Id char_01HXMQ7Z3K8Y2NNOSUCHCHARACT }
catch { "id=$($_.FullyQualifiedErrorId) target=$($_.TargetObject) category=$($_.CategoryInfo) message=$_" }
'@

        $printed | Should -Match 'id=InvalidConfiguration'
        $printed | Should -Match ([regex]::Escape('target=http://127.0.0.1:5080/'))
        $printed | Should -Not -Match 'pw-canary'
    }
}

Describe 'Per-field Set-AurousCharacter in parallel' {
    It 'keeps all 8 fields changed by 8 parallel calls on one character' {
        $id = (New-TestCharacter 'Contested' -Complete).Id
        $fields = @{ Gender = 'male'; Age = 40; Ethnicity = 'nordic'; HairColor = 'silver'; HairStyle = 'braids'; EyeColor = 'green'; BodyType = 'tall'; AdditionalDetails = 'scar' }

        $fields.GetEnumerator() | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:Manifest
            $change = @{ ($_.Key) = $_.Value }
            Set-AurousCharacter -Id $using:id @change -ErrorAction Stop
        }

        $stored = (Read-TestCharacter $id).attributes
        $stored.gender, $stored.age, $stored.ethnicity, $stored.hair_color, $stored.hair_style, $stored.eye_color, $stored.body_type, $stored.additional_details |
            Should -Be 'male', 40, 'nordic', 'silver', 'braids', 'green', 'tall', 'scar'
    }
}

Describe 'Costs and messages read right' {
    It 'says credits in -WhatIf, as the 402 does' {
        $id = (New-TestCharacter 'Priced' -Complete).Id

        $printed = Invoke-TestPwsh "Invoke-AurousResynthesis -Id '$id' -WhatIf"

        $printed | Should -Match 'Resynthesize all 4 poses \(4 credits\)'
    }

    It 'ends a failed synthesis''s message with one full stop' {
        $character = New-TestCharacter 'Doomed'
        Complete-TestCharacter -Id $character.Id -Outcome failed

        $character | Wait-AurousCharacter -PollIntervalSec 0.1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CharacterFailed,*'
        Get-Message $failures[0] | Should -Match "^Character $($character.Id) \(Doomed\): Synthesis failed: [^:]*\(emulated failure\)\. Run Invoke-AurousResynthesis to try again \(4 credits\)\.$"
        Get-Message $failures[0] | Should -Not -Match '\.\.'
    }
}

# Last: it stops this file's emulator.
Describe 'A wait against a server that is gone' {
    BeforeAll {
        $script:Doomed = New-TestCharacter 'Aurora', 'Borealis'
        $null = Get-AurousCharacter -Id $Doomed.Id
        Stop-Process -Id $Emulator.Process.Id -Force
        $Emulator.Process.WaitForExit()
    }

    It 'warns at once, naming the server, with the documented 30 s bound by default' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Manifest, $Ids)
                Import-Module $Manifest
                Wait-AurousCharacter -Id $Ids
            }).AddArgument($Manifest).AddArgument([string[]] $Doomed.Id)
        $handle = $ps.BeginInvoke()
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ($ps.Streams.Warning.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }

            $ps.Streams.Warning | Should -HaveCount 1
            $ps.Streams.Warning[0].Message | Should -Match "^Cannot reach $([regex]::Escape($Server)) to check on 2 characters: .+ Still trying; after 30 s without an answer, each character still pending gets an error and the wait ends\.$"
            $handle.IsCompleted | Should -BeFalse
        }
        finally {
            $ps.Stop()
            $ps.Dispose()
        }
    }

    It 'gives each pending character its own error and ends after -UnreachableTimeoutSec' {
        $elapsed = Measure-Command {
            $script:Settled = $Doomed | Wait-AurousCharacter -UnreachableTimeoutSec 3 -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable failures -ErrorAction SilentlyContinue
        }

        $Settled | Should -BeNullOrEmpty
        $warnings | Should -HaveCount 1
        $failures | Should -HaveCount 2
        $failures | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
            "$($_.CategoryInfo.Category)" | Should -Be 'ConnectionError'
        }
        $failures | ForEach-Object { if ($_.TargetObject -is [string]) { $_.TargetObject } else { $_.TargetObject.Id } } | Should -Be $Doomed.Id
        Get-Message $failures[0] | Should -Match "^Character $($Doomed[0].Id) \(Aurora\): Stopped waiting: no answer from $([regex]::Escape($Server)) for 3 s \(last poll: .+\)\. The character may still be synthesizing"
        Get-Message $failures[1] | Should -Match "^Character $($Doomed[1].Id) \(Borealis\): "
        $elapsed.TotalSeconds | Should -BeLessThan 15
    }
}
