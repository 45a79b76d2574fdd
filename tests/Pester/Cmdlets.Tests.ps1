#Requires -Version 7.0
<#
    The cmdlets in a real pwsh against the emulator over loopback, imported from the laid-out module as a user
    imports it. Synthesis never completes by itself here: each test finishes its characters through the emulator's
    control surface, so no result depends on timing.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Emulator = Start-TestEmulator
    Connect-TestEmulator
}

AfterAll {
    Disconnect-Aurous
    Stop-TestEmulator
}

Describe 'Get | Wait | Save' {
    It 'saves the characters that settle and reports the one that failed' {
        $ids = 1..3 | ForEach-Object { (New-TestCharacter "Pipeline $_").Id }
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
        $ids = 1..2 | ForEach-Object { (New-TestCharacter "Mixed $_").Id }
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
        $ids = 1..2 | ForEach-Object { (New-TestCharacter "Slow $_").Id }
        Complete-TestCharacter $ids[0]

        $settled = Wait-AurousCharacter -Id $ids -TimeoutSec 1 -PollIntervalSec 0.1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $settled.Id | Should -Be $ids[0]
        $failures | Should -HaveCount 1
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'OperationTimeout'
        $failures[0].TargetObject | Should -Be $ids[1]
    }

    It 'stops a long wait within a second of Ctrl+C' {
        $id = (New-TestCharacter 'Never settles').Id
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Manifest, $BaseUri, $Key, $Id)
                Import-Module $Manifest
                Connect-Aurous -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $BaseUri
                Wait-AurousCharacter -Id $Id -TimeoutSec 600 -PollIntervalSec 30
            }).AddArgument((Get-TestModuleManifest)).AddArgument($script:Emulator.BaseUri).AddArgument($TeamAKey).AddArgument($id)
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
        $id = (New-TestCharacter 'Aurora').Id
        Complete-TestCharacter $id
        $before = Get-TestLedger

        $output = Get-AurousCharacter -Id $id | Invoke-AurousResynthesis -WhatIf

        $output | Should -BeNullOrEmpty
        (Get-TestLedger).credits | Should -Be $before.credits
        @((Get-TestLedger).charges).Count | Should -Be @($before.charges).Count
        (Read-TestCharacter $id).status | Should -Be 'reviewing'
    }

    It '-Confirm:$false spends exactly 4 generations and emits the synthesizing character' {
        $id = (New-TestCharacter 'Paid').Id
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
        $id = (New-TestCharacter 'One pose').Id
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
        $id = (New-TestCharacter 'Doomed').Id

        Remove-AurousCharacter -Id $id -Confirm:$false
        Get-AurousCharacter -Id $id -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CharacterNotFound,*'
    }
}

Describe 'Set-AurousCharacter' {
    It 'changes only the named fields with the per-field parameters' {
        $id = (New-TestCharacter 'Merged').Id
        Complete-TestCharacter $id

        Set-AurousCharacter -Id $id -HairColor red

        $attributes = (Read-TestCharacter $id).attributes
        $attributes.hair_color | Should -Be 'red'
        $attributes.eye_color | Should -Be 'brown'
    }

    It 'replaces the whole attribute object with -Attributes' {
        $id = (New-TestCharacter 'Replaced').Id
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
        $id = (New-TestCharacter 'Untouched').Id
        Complete-TestCharacter $id
        # Ref URLs are left out: their signed tokens differ on every read.
        $before = Read-TestCharacter $id | Select-Object name, status, updated_at, attributes | ConvertTo-Json -Depth 5

        { & $Script $id } | Should -Throw

        Read-TestCharacter $id | Select-Object name, status, updated_at, attributes | ConvertTo-Json -Depth 5 | Should -Be $before
    }
}

Describe 'Context and secrets' {
    It 'never shows the key in verbose, debug or error output' {
        $id = (New-TestCharacter 'Secret keeper').Id
        $all = & {
            $DebugPreference = 'Continue'
            Get-AurousCharacter -Id $id, 'char_missing' -Verbose -Debug
            Get-AurousContext | Format-List | Out-String
        } *>&1 | Out-String

        $all | Should -Not -Match ([regex]::Escape($TeamAKey))
        $all | Should -Match 'al_live_\*\*\*\*'
    }

    It 'works from the environment variables without Connect-Aurous' {
        $id = (New-TestCharacter 'From env').Id
        # A separate process, so the variables set there never leak into this session.
        $job = Start-Job -ScriptBlock {
            param($Manifest, $BaseUri, $Key, $Id)
            $env:AUROUS_API_KEY = $Key
            $env:AUROUS_BASE_URL = $BaseUri
            Import-Module $Manifest
            (Get-AurousCharacter -Id $Id).Id
        } -ArgumentList (Get-TestModuleManifest), $script:Emulator.BaseUri, $TeamAKey, $id

        $job | Wait-Job -Timeout 60 | Receive-Job | Should -Be $id
        $job | Remove-Job -Force
    }
}
