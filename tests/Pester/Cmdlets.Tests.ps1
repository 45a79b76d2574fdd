#Requires -Version 7.0
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The cmdlets in a real pwsh against the emulator over loopback. build.ps1 -Task Test runs this file after
    building; $env:AUROUS_MODULE_MANIFEST can point at another build of Aurous.psd1 (e.g. the packaged layout).
    Synthesis never completes by itself here (--synthesis-seconds 3600): each test finishes its characters
    through the emulator's control surface, so no result depends on timing.
#>

BeforeAll {
    $repositoryRoot = Split-Path -Parent $PSScriptRoot
    $manifest = $env:AUROUS_MODULE_MANIFEST
    if (-not $manifest) {
        $manifest = @('Release', 'Debug') |
            ForEach-Object { Join-Path $repositoryRoot "src/Aurous.PowerShell/bin/$_/netstandard2.0/Aurous.psd1" } |
            Where-Object { Test-Path $_ } |
            Select-Object -First 1
    }
    if (-not $manifest) { throw 'Build src/Aurous.PowerShell first (dotnet build src/Aurous.PowerShell -c Release).' }
    $script:Manifest = (Resolve-Path $manifest).Path

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    $script:BaseUri = "http://127.0.0.1:$port/"
    $script:TeamAKey = 'al_live_emulator_team_a'
    $script:TeamBKey = 'al_live_emulator_team_b'

    $script:Emulator = Start-Process -FilePath 'dotnet' -PassThru -NoNewWindow `
        -ArgumentList @('run', '--project', (Join-Path $repositoryRoot 'src/Aurous.Emulator'), '--', '--urls', "http://127.0.0.1:$port", '--synthesis-seconds', '3600') `
        -RedirectStandardOutput (Join-Path ([System.IO.Path]::GetTempPath()) "aurous-emulator-$port.out") `
        -RedirectStandardError (Join-Path ([System.IO.Path]::GetTempPath()) "aurous-emulator-$port.err")
    $deadline = [DateTime]::UtcNow.AddSeconds(300)
    while ($true) {
        try { $null = Invoke-RestMethod "$($script:BaseUri)_emulator/teams/team_a/ledger"; break }
        catch {
            if ($script:Emulator.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "The emulator did not start on $($script:BaseUri)." }
            Start-Sleep -Milliseconds 200
        }
    }

    Import-Module $manifest -Force -ErrorAction Stop
    Connect-Aurous -ApiKey (ConvertTo-SecureString $script:TeamAKey -AsPlainText -Force) -BaseUri $script:BaseUri

    function script:New-TestCharacter([string] $Name, [string] $ApiKey = $script:TeamAKey) {
        $body = @{ name = $Name; attributes = @{ gender = 'female'; age = 28; hair_color = 'black'; eye_color = 'brown' } } | ConvertTo-Json
        $headers = @{ 'X-Api-Key' = $ApiKey; 'Idempotency-Key' = [guid]::NewGuid().ToString() }
        (Invoke-RestMethod -Method Post -Uri "$($script:BaseUri)v1/characters" -Headers $headers -Body $body -ContentType 'application/json').id
    }

    function script:Complete-TestCharacter([string] $Id, [string] $Outcome = 'reviewing', [string] $ErrorMessage) {
        $body = @{ outcome = $Outcome }
        if ($ErrorMessage) { $body.error_message = $ErrorMessage }
        $null = Invoke-RestMethod -Method Post -Uri "$($script:BaseUri)_emulator/characters/$Id/finish" -Body ($body | ConvertTo-Json) -ContentType 'application/json'
    }

    function script:Get-TestLedger([string] $Team = 'team_a') {
        Invoke-RestMethod "$($script:BaseUri)_emulator/teams/$Team/ledger"
    }

    function script:Read-TestCharacter([string] $Id) {
        Invoke-RestMethod -Uri "$($script:BaseUri)v1/characters/$Id" -Headers @{ 'X-Api-Key' = $script:TeamAKey }
    }
}

AfterAll {
    Disconnect-Aurous
    Remove-Module Aurous -ErrorAction SilentlyContinue
    if ($script:Emulator -and -not $script:Emulator.HasExited) {
        Stop-Process -Id $script:Emulator.Id
    }
}

Describe 'Get | Wait | Save' {
    It 'saves the characters that settle and reports the one that failed' {
        $ids = 1..3 | ForEach-Object { New-TestCharacter "Pipeline $_" }
        Complete-TestCharacter $ids[0]
        Complete-TestCharacter $ids[1] -Outcome failed -ErrorMessage 'moderation rejected the prompt'
        Complete-TestCharacter $ids[2]

        # -ErrorVariable collects only its own command's errors, and the failure is Wait-AurousCharacter's.
        $saved = Get-AurousCharacter -Id $ids |
            Wait-AurousCharacter -PollIntervalSec 0.1 -ErrorVariable failures -ErrorAction SilentlyContinue |
            Save-AurousCharacter -PassThru

        ($saved.Id | Sort-Object) | Should -Be ($ids[0], $ids[2] | Sort-Object)
        $saved | ForEach-Object { "$($_.Status)" } | Should -Be @('Ready', 'Ready')
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CharacterFailed,*'
        $failures[0].TargetObject.Id | Should -Be $ids[1]
        $failures[0].ToString() | Should -Match 'moderation rejected the prompt'
        (Read-TestCharacter $ids[1]).status | Should -Be 'failed'
    }

    It 'gives one error for a bad id among good ones and still returns the rest' {
        $ids = 1..2 | ForEach-Object { New-TestCharacter "Mixed $_" }
        $missing = 'char_01HXMQ7Z3K8Y2NNOSUCHCHARACT'

        $found = $ids[0], $missing, $ids[1] | Get-AurousCharacter -ErrorVariable failures -ErrorAction SilentlyContinue

        $found.Id | Should -Be $ids
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CharacterNotFound,*'
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be $missing
        $failures[0].ToString() | Should -Match '(?i)request id'
    }

    It 'reports each character still pending at the timeout' {
        $ids = 1..2 | ForEach-Object { New-TestCharacter "Slow $_" }
        Complete-TestCharacter $ids[0]

        $settled = Wait-AurousCharacter -Id $ids -TimeoutSec 1 -PollIntervalSec 0.1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $settled.Id | Should -Be $ids[0]
        $failures | Should -HaveCount 1
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'OperationTimeout'
        $failures[0].TargetObject | Should -Be $ids[1]
    }

    It 'stops a long wait within a second of Ctrl+C' {
        $id = New-TestCharacter 'Never settles'
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Manifest, $BaseUri, $Key, $Id)
                Import-Module $Manifest
                Connect-Aurous -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $BaseUri
                Wait-AurousCharacter -Id $Id -TimeoutSec 600 -PollIntervalSec 30
            }).AddArgument($script:Manifest).AddArgument($script:BaseUri).AddArgument($script:TeamAKey).AddArgument($id)
        $handle = $ps.BeginInvoke()
        Start-Sleep -Seconds 2

        $elapsed = Measure-Command { $ps.Stop() }

        $elapsed.TotalSeconds | Should -BeLessThan 1
        "$($ps.InvocationStateInfo.State)" | Should -Be 'Stopped'
        $ps.Dispose()
    }
}

Describe '-WhatIf and -Confirm' {
    It 'Invoke-AurousResynthesis -WhatIf leaves the ledger untouched' {
        $id = New-TestCharacter 'Aurora'
        Complete-TestCharacter $id
        $before = Get-TestLedger

        $output = Get-AurousCharacter -Id $id | Invoke-AurousResynthesis -WhatIf

        $output | Should -BeNullOrEmpty
        (Get-TestLedger).credits | Should -Be $before.credits
        @((Get-TestLedger).charges).Count | Should -Be @($before.charges).Count
        (Read-TestCharacter $id).status | Should -Be 'reviewing'
    }

    It '-Confirm:$false spends exactly 4 generations and emits the synthesizing character' {
        $id = New-TestCharacter 'Paid'
        Complete-TestCharacter $id
        $before = Get-TestLedger

        $character = Invoke-AurousResynthesis -Id $id -Force -Confirm:$false

        "$($character.Status)" | Should -Be 'Synthesizing'
        (Get-TestLedger).credits | Should -Be ($before.credits - 4)
        $charge = @((Get-TestLedger).charges)[-1]
        $charge.route | Should -Be 'resynthesize'
        $charge.character_id | Should -Be $id
    }

    It '-Pose regenerates one pose for one generation' {
        $id = New-TestCharacter 'One pose'
        Complete-TestCharacter $id
        $before = Get-TestLedger

        $null = Invoke-AurousResynthesis -Id $id -Pose front -Confirm:$false

        (Get-TestLedger).credits | Should -Be ($before.credits - 1)
    }

    It 'New-AurousCharacter chains into Wait-AurousCharacter' {
        $created = New-AurousCharacter -Name 'Nova' -Attributes @{ hair_color = 'silver' } -Confirm:$false
        Complete-TestCharacter $created.Id

        $ready = $created | Wait-AurousCharacter -PollIntervalSec 0.1 | Save-AurousCharacter -PassThru

        "$($ready.Status)" | Should -Be 'Ready'
        $ready.Attributes.HairColor | Should -Be 'silver'
    }

    It 'Remove-AurousCharacter -Confirm:$false deletes the character' {
        $id = New-TestCharacter 'Doomed'

        Remove-AurousCharacter -Id $id -Confirm:$false
        Get-AurousCharacter -Id $id -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CharacterNotFound,*'
    }
}

Describe 'Set-AurousCharacter' {
    It 'changes only the named fields with the per-field parameters' {
        $id = New-TestCharacter 'Merged'
        Complete-TestCharacter $id

        Set-AurousCharacter -Id $id -HairColor red

        $attributes = (Read-TestCharacter $id).attributes
        $attributes.hair_color | Should -Be 'red'
        $attributes.eye_color | Should -Be 'brown'
    }

    It 'replaces the whole attribute object with -Attributes' {
        $id = New-TestCharacter 'Replaced'
        Complete-TestCharacter $id

        Set-AurousCharacter -Id $id -Attributes @{ hair_color = 'blue' }

        $attributes = (Read-TestCharacter $id).attributes
        $attributes.hair_color | Should -Be 'blue'
        $attributes.eye_color | Should -BeNullOrEmpty
    }

    It 'refuses <Case> before any request' -TestCases @(
        @{ Case = 'a name over 80 characters'; Script = { param($Id) Set-AurousCharacter -Id $Id -Name ('x' * 81) } }
        @{ Case = 'an unknown attribute key'; Script = { param($Id) Set-AurousCharacter -Id $Id -Attributes @{ hair_colour = 'red' } } }
    ) {
        param($Case, $Script)
        $id = New-TestCharacter 'Untouched'
        Complete-TestCharacter $id
        # Ref URLs are left out: their signed tokens differ on every read.
        $before = Read-TestCharacter $id | Select-Object name, status, updated_at, attributes | ConvertTo-Json -Depth 5

        { & $Script $id } | Should -Throw

        Read-TestCharacter $id | Select-Object name, status, updated_at, attributes | ConvertTo-Json -Depth 5 | Should -Be $before
    }
}

Describe 'Context and secrets' {
    It 'never shows the key in verbose, debug or error output' {
        $id = New-TestCharacter 'Secret keeper'
        $all = & {
            $DebugPreference = 'Continue'
            Get-AurousCharacter -Id $id, 'char_missing' -Verbose -Debug
            Get-AurousContext | Format-List | Out-String
        } *>&1 | Out-String

        $all | Should -Not -Match ([regex]::Escape($script:TeamAKey))
        $all | Should -Match 'al_live_\*\*\*\*'
    }

    It 'works from the environment variables without Connect-Aurous' {
        $id = New-TestCharacter 'From env' -ApiKey $script:TeamBKey
        # A separate process, so the variables set there never leak into this session.
        $job = Start-Job -ScriptBlock {
            param($Manifest, $BaseUri, $Key, $Id)
            $env:AUROUS_API_KEY = $Key
            $env:AUROUS_BASE_URL = $BaseUri
            Import-Module $Manifest
            (Get-AurousCharacter -Id $Id).Id
        } -ArgumentList $script:Manifest, $script:BaseUri, $script:TeamBKey, $id

        $job | Wait-Job -Timeout 60 | Receive-Job | Should -Be $id
        $job | Remove-Job -Force
    }
}
