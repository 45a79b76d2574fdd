#Requires -Version 7.0
<#
    The whole character surface beyond the five documented calls: listing, ref files on disk, and any API call
    through Invoke-AurousRequest, in real pwsh against this file's emulator.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-TestSession
}

AfterAll { Stop-TestSession }

Describe 'Get-AurousCharacter without -Id' {
    BeforeAll {
        Reset-TestEmulator
        $script:Made = New-TestCharacter 'Listed Ann', 'Listed Bob', 'Other Cid'
        Complete-TestCharacter $Made[0].Id
        $null = Save-AurousCharacter -Id $Made[0].Id
        Complete-TestCharacter $Made[1].Id
    }

    It 'lists the characters just made, newest first' {
        (Get-AurousCharacter).Id | Should -Be @($Made[2].Id, $Made[1].Id, $Made[0].Id)
    }

    It 'keeps only the states -Status names' {
        (Get-AurousCharacter -Status Ready).Id | Should -Be $Made[0].Id
        (Get-AurousCharacter -Status Reviewing, Synthesizing).Id | Should -Be @($Made[2].Id, $Made[1].Id)
    }

    It 'matches -Name with wildcards in any case, and pages with -First and -Skip' {
        (Get-AurousCharacter -Name 'listed*').Name | Should -Be @('Listed Bob', 'Listed Ann')
        (Get-AurousCharacter -First 1).Id | Should -Be $Made[2].Id
        (Get-AurousCharacter -Skip 1 -First 1).Id | Should -Be $Made[1].Id
    }

    It 'leaves deleted characters out' {
        $doomed = New-TestCharacter 'Gone'
        Remove-AurousCharacter -Id $doomed.Id -Confirm:$false

        (Get-AurousCharacter).Id | Should -Not -Contain $doomed.Id
    }

    It 'completes -Id by name in a new session from the list' {
        $printed = Invoke-TestPwsh @'
$line = 'Get-AurousCharacter -Id Listed'
(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { "match=$($_.CompletionText) $($_.ToolTip)" }
'@
        $printed | Should -Match ([regex]::Escape("match=$($Made[0].Id) $($Made[0].Id) (Listed Ann)"))
        $printed | Should -Match ([regex]::Escape("match=$($Made[1].Id)"))
    }
}

Describe 'Save-AurousCharacterRef' {
    BeforeAll {
        $script:Ready = New-TestCharacter 'Pictured' -Complete
    }

    It 'leaves one PNG file per pose and emits the files' {
        $dir = Join-Path $TestDrive 'all'

        $files = Save-AurousCharacterRef -Id $Ready.Id -Path $dir

        $files | Should -HaveCount 4
        $files | ForEach-Object { $_ | Should -BeOfType [System.IO.FileInfo] }
        (Get-ChildItem $dir).Name | Sort-Object | Should -Be (@('back', 'front', 'portrait', 'side') | ForEach-Object { "$($Ready.Id)-$_.png" })
        Get-ChildItem $dir | ForEach-Object { [System.IO.File]::ReadAllBytes($_.FullName)[1..3] | Should -Be @(0x50, 0x4E, 0x47) }
    }

    It 'skips files already saved, saying so, and replaces them with -Force' {
        $dir = Join-Path $TestDrive 'again'
        $null = Save-AurousCharacterRef -Id $Ready.Id -Pose Front -Path $dir
        $before = (Get-Item (Join-Path $dir "$($Ready.Id)-front.png")).LastWriteTimeUtc

        $verbose = Save-AurousCharacterRef -Id $Ready.Id -Pose Front -Path $dir -Verbose 4>&1
        $forced = Save-AurousCharacterRef -Id $Ready.Id -Pose Front -Path $dir -Force

        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -match 'Skipping.*-Force' }) | Should -Not -BeNullOrEmpty
        ($verbose | Where-Object { $_ -is [System.IO.FileInfo] }) | Should -BeNullOrEmpty
        $forced.Name | Should -Be "$($Ready.Id)-front.png"
        (Get-Item $forced.FullName).LastWriteTimeUtc | Should -BeGreaterOrEqual $before
    }

    It 're-reads the character once when its ref URLs have expired' {
        $stale = Get-AurousCharacter -Id $Ready.Id
        $null = Invoke-TestControl -Path clock/advance -Method Post -Body @{ seconds = 3 * 86400 }

        $files = $stale | Save-AurousCharacterRef -Pose Side, Back -Path (Join-Path $TestDrive 'stale')

        $files.Name | Sort-Object | Should -Be @("$($Ready.Id)-back.png", "$($Ready.Id)-side.png")
    }

    It 'writes nothing with -WhatIf, and says which pose a character lacks' {
        $dir = Join-Path $TestDrive 'whatif'
        $synthesizing = New-TestCharacter 'Unfinished'

        Save-AurousCharacterRef -Id $Ready.Id -Path $dir -WhatIf
        Save-AurousCharacterRef -Id $synthesizing.Id -Path $dir -ErrorVariable failures -ErrorAction SilentlyContinue

        Test-Path $dir | Should -BeFalse
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RefNotFound,*'
        "$($failures[0])" | Should -Match ([regex]::Escape($synthesizing.Id))
    }
}

Describe 'Invoke-AurousRequest' {
    It 'returns the character a GET reads, with the API''s property names' {
        $id = (New-TestCharacter 'Raw').Id

        $character = Invoke-AurousRequest -Method Get -Path "/v1/characters/$id"

        $character.id | Should -Be $id
        $character.name | Should -Be 'Raw'
        $character.status | Should -Be 'synthesizing'
    }

    It 'sends a POST once with its idempotency key, and a repeat with the key replays it' {
        $id = (New-TestCharacter 'Raw paid' -Complete).Id
        $before = (Get-TestLedger).credits
        $key = [guid]::NewGuid().ToString()

        $first = Invoke-AurousRequest -Method Post -Path "/v1/characters/$id/resynthesize" -Body @{ force_all = $true } -IdempotencyKey $key -Confirm:$false
        $second = Invoke-AurousRequest -Method Post -Path "/v1/characters/$id/resynthesize" -Body '{"force_all":true}' -IdempotencyKey $key -Confirm:$false

        $first.status, $second.status | Should -Be @('synthesizing', 'synthesizing')
        (Get-TestLedger).credits | Should -Be ($before - 4)
        @((Get-TestLedger).charges)[-1].idempotency_key | Should -Be $key
    }

    It 'refuses <Case> before any request' -TestCases @(
        @{ Case = 'another host'; Path = 'https://api.example.com/v1/characters'; ErrorId = 'InvalidRequestPath' }
    ) {
        param($Case, $Path, $ErrorId)
        Invoke-AurousRequest -Method Get -Path $Path -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        "$failures" | Should -Match 'Refusing to send the API key'
    }

    It 'turns an API error into an error record with the API code and the module''s ErrorId' {
        Invoke-AurousRequest -Method Get -Path '/v1/characters/char_01HXMQ7Z3K8Y2NNOSUCHCHARACT' -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CharacterNotFound,*'
        "$($failures[0])" | Should -Match 'resource_not_found'
    }

    It 'changes nothing with -WhatIf' {
        $id = (New-TestCharacter 'Raw hypothetical' -Complete).Id
        $before = (Get-TestLedger).credits

        Invoke-AurousRequest -Method Post -Path "/v1/characters/$id/resynthesize" -WhatIf

        (Get-TestLedger).credits | Should -Be $before
        (Read-TestCharacter $id).status | Should -Be 'reviewing'
    }
}
