#Requires -Version 7.0
<#
    Ops scripts as people write them: one Connect-Aurous for every runspace, CSV files piped into New and Set, what the
    default view shows and what Select-Object, Export-Csv and ConvertTo-Json give, and the rough edges of Connect,
    Get-AurousContext, Remove and Invoke-AurousResynthesis. Each test creates its own characters and finishes them
    through the emulator's control surface, so no outcome depends on timing.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Emulator = Start-TestEmulator
    Connect-TestEmulator

    # A CSV file as a spreadsheet exports it; the rows are written as given, header first.
    function script:New-CsvFile([string[]] $Line) {
        $path = Join-Path $TestDrive "$([guid]::NewGuid().ToString('n')).csv"
        Set-Content -Path $path -Value $Line
        $path
    }
}

AfterAll {
    Disconnect-Aurous
    Stop-TestEmulator
}

Describe 'Set-AurousCharacter from a CSV file' {
    It 'binds <Header> columns to the per-field parameters and keeps the other attributes' -TestCases @(
        @{ Header = 'Id,HairColor,Age' }
        @{ Header = 'id,hair_color,age' }
    ) {
        param($Header)
        $character = New-TestCharacter 'Csv set' -Complete
        $csv = New-CsvFile $Header, "$($character.Id),red,31"

        Import-Csv $csv | Set-AurousCharacter

        $attributes = (Read-TestCharacter $character.Id).attributes
        $attributes.hair_color | Should -Be 'red'
        $attributes.age | Should -Be 31
        $attributes.eye_color | Should -Be 'brown'
    }

    It 'leaves a field alone for a blank cell, and reports a row with nothing to change without stopping the rest' {
        $first, $second, $third = New-TestCharacter 'Blank 1', 'Blank 2', 'Blank 3' -Complete
        $csv = New-CsvFile 'Id,HairColor,EyeColor,Age', "$($first.Id),green,,", "$($second.Id),,,", "$($third.Id),,grey,40"
        $untouched = (Read-TestCharacter $second.Id).updated_at

        Import-Csv $csv | Set-AurousCharacter -ErrorVariable failures -ErrorAction SilentlyContinue

        $one = (Read-TestCharacter $first.Id).attributes
        $one.hair_color | Should -Be 'green'
        $one.eye_color | Should -Be 'brown'
        $one.age | Should -Be 28
        $three = (Read-TestCharacter $third.Id).attributes
        $three.eye_color | Should -Be 'grey'
        $three.age | Should -Be 40
        $three.hair_color | Should -Be 'black'
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'EmptyUpdate,*'
        $failures[0].TargetObject | Should -Be $second.Id
        (Read-TestCharacter $second.Id).updated_at | Should -Be $untouched
    }

    It 'refuses an Age out of range in one row before any request for it' {
        $character = New-TestCharacter 'Too old' -Complete
        $csv = New-CsvFile 'Id,Age', "$($character.Id),250"

        Import-Csv $csv | Set-AurousCharacter -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].ToString() | Should -Match "parameter 'Age'.*0 to 200; got 250"
        (Read-TestCharacter $character.Id).attributes.age | Should -Be 28
    }

    It 'renames a piped character without rewriting its attributes' {
        $character = New-TestCharacter 'Old name' -Complete

        $output = $character | Set-AurousCharacter -Name 'New name' -PassThru -Verbose 4>&1

        $requests = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^[A-Z]+ /v1/' })
        $requests.Message | Should -Match '^PATCH '
        $requests | Should -HaveCount 1
        ($output | Where-Object Name).Name | Should -Be 'New name'
        (Read-TestCharacter $character.Id).attributes.hair_color | Should -Be 'black'
    }
}

Describe 'One Connect-Aurous for the whole process' {
    BeforeAll {
        # Only the connection may supply a key here: a key in the environment would hide a missing one.
        $script:SavedKey = $env:AUROUS_API_KEY
        $env:AUROUS_API_KEY = $null
        $script:Manifest = Get-TestModuleManifest
    }

    AfterAll {
        $env:AUROUS_API_KEY = $script:SavedKey
        Connect-TestEmulator
    }

    BeforeEach { Connect-TestEmulator }

    It 'serves every ForEach-Object -Parallel runspace' {
        $id = (New-TestCharacter 'Parallel').Id

        $read = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:Manifest
            (Get-AurousCharacter -Id $using:id).Id
        }

        $read | Should -Be @($id, $id, $id, $id)
    }

    It 'serves Start-ThreadJob' {
        $id = (New-TestCharacter 'Thread job').Id

        $job = Start-ThreadJob -ScriptBlock { Import-Module $using:Manifest; (Get-AurousCharacter -Id $using:id).Name }
        $name = $job | Wait-Job -Timeout 60 | Receive-Job
        $job | Remove-Job -Force

        $name | Should -Be 'Thread job'
    }

    It 'is cleared for every runspace by one Disconnect-Aurous' {
        $id = (New-TestCharacter 'Disconnected').Id
        Disconnect-Aurous

        $failures = 1..2 | ForEach-Object -Parallel {
            Import-Module $using:Manifest
            try { Get-AurousCharacter -Id $using:id; 'not reached' } catch { $_.FullyQualifiedErrorId }
        }

        $failures | Should -BeLike 'MissingApiKey*'
        $failures | Should -HaveCount 2
    }

    It 'keeps the current key when Connect-Aurous runs again without -ApiKey' {
        $id = (New-TestCharacter 'Same key').Id
        $before = Get-AurousContext

        $context = Connect-Aurous -BaseUri $Emulator.BaseUri -ApiVersion 2026-05-15 -RateLimitMultiplier $Emulator.RateLimitMultiplier -PassThru

        $context.ApiKeyHint | Should -Be $before.ApiKeyHint
        $context.ApiVersion | Should -Be '2026-05-15'
        (Get-AurousCharacter -Id $id).Id | Should -Be $id
    }

    It 'says so when nothing is connected, and writes no object' {
        Disconnect-Aurous

        $context = Get-AurousContext -WarningVariable warnings -WarningAction SilentlyContinue

        $context | Should -BeNullOrEmpty
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -Match 'Not connected'
        "$($warnings[0])" | Should -Match 'Connect-Aurous'
        "$($warnings[0])" | Should -Match 'AUROUS_API_KEY'
    }

    It 'shows "(team default)" for a context without a version pin' {
        $shown = Get-AurousContext | Out-String

        $shown | Should -Match 'ApiVersion\s*:\s*\(team default\)'
        $shown | Should -Match 'Source\s*:\s*Session'
    }
}
