#Requires -Version 7.0
<#
    Scheduled jobs, run as they are run: in pwsh processes of their own. A dead endpoint fails a job fast, costs it
    no budget and leaves the next run nothing to pay for. Bad rows get the documented ErrorIds, naming the row, and
    the rest go through.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule

    function Get-FreeTcpPort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }
}

AfterAll {
    Stop-TestSession
}

Describe 'A job against a stopped endpoint' {
    AfterAll {
        Stop-TestEmulator
    }

    It 'fails each of 12 creates with its own error within 45 s, and the next process starts with a full bucket' {
        $port = Get-FreeTcpPort
        # Both runs share one folder of bucket state, as two runs of a scheduled job by one user do.
        $state = Join-Path $TestDrive 'state'
        $environment = @{ XDG_DATA_HOME = $state; LOCALAPPDATA = $state }
        if ($IsMacOS) { $environment.HOME = $state }
        # The documented limits on both sides (12 burst, 6 a minute for creates): no multiplier.
        $job = @"
Connect-Aurous -ApiKey (ConvertTo-SecureString '$TeamAKey' -AsPlainText -Force) -BaseUri 'http://127.0.0.1:$port/' -SkipCheck
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$made = 1..12 | ForEach-Object { "D`$_" } | New-AurousCharacter -Confirm:`$false -ErrorVariable failed -ErrorAction SilentlyContinue
"made=`$(@(`$made).Count) seconds=`$(`$watch.Elapsed.TotalSeconds.ToString('0.0', [cultureinfo]::InvariantCulture))"
`$failed | ForEach-Object { "ERROR `$(`$_.FullyQualifiedErrorId) | `$(`$_.TargetObject) | `$(`$_.Exception.Message)" }
"@

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $dead = Invoke-TestPwsh -NoConnect -Script $job -Environment $environment
        $deadSeconds = $watch.Elapsed.TotalSeconds

        $errors = @($dead -split "`r?`n" | Where-Object { $_ -like 'ERROR *' })
        $errors | Should -HaveCount 12 -Because $dead
        foreach ($i in 1..12) {
            $row = @($errors | Where-Object { $_ -like "ERROR ConnectionFailed,*| D$i | New character 'D$i': *" })
            $row | Should -HaveCount 1 -Because "row D$i gets its own error ($dead)"
            $row[0] | Should -BeLike "*http://127.0.0.1:$port*Check that the server is running*"
        }
        $dead | Should -Match 'made=0 '
        Write-Host "dead_run_seconds=$($dead -replace '(?s).*made=0 seconds=([\d.]+).*', '$1') dead_run_process_seconds=$($deadSeconds.ToString('0.0'))"

        $null = Start-TestEmulator -RateLimitMultiplier 1 -Port $port
        $live = Invoke-TestPwsh -NoConnect -Script $job -Environment $environment

        $live | Should -Match 'made=12 seconds=' -Because $live
        $liveSeconds = [double]($live -replace '(?s).*made=12 seconds=([\d.]+).*', '$1')
        Write-Host "next_run_12_creates_seconds=$liveSeconds"
        # A fresh bucket makes 11 at once and waits 10 s for the twelfth; a bucket the dead run had spent, 100 s and more.
        $liveSeconds | Should -BeLessThan 30
        @((Get-TestLedger).charges) | Should -HaveCount 12
    }
}

Describe 'Bad values from a CSV or a pipeline' {
    BeforeAll {
        $null = Start-TestEmulator
        Connect-TestEmulator
    }

    AfterAll {
        Stop-TestEmulator
    }

    BeforeEach {
        Reset-TestEmulator
    }

    It 'get the documented ErrorId, naming the row, and the other rows go through and alone are charged' {
        $long = 'A' * 100
        $rows = @"
Name,Age,HairColor
Good1,28,black
$long,30,red
Old,300,grey
,25,blue
Good2,,brown
"@ | ConvertFrom-Csv

        $made = $rows | New-AurousCharacter -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue

        $made.Name | Should -Be 'Good1', 'Good2'
        $failed | Should -HaveCount 3
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCharacterName,*'
        $failed[0].Exception.Message | Should -BeLike "New character '$('A' * 60)…': A character name must be 1 to 80 characters and not blank; got 100 characters."
        $failed[0].TargetObject.Name | Should -Be $long
        $failed[1].FullyQualifiedErrorId | Should -BeLike 'InvalidAttributeValue,*'
        $failed[1].Exception.Message | Should -Be "New character 'Old': Age must be a whole number from 0 to 200; got 300."
        $failed[1].TargetObject.Name | Should -Be 'Old'
        $failed[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failed[2].FullyQualifiedErrorId | Should -BeLike 'InvalidCharacterName,*'
        $failed[2].Exception.Message | Should -BeLike 'Input row 4: *'
        $failed[2].TargetObject.HairColor | Should -Be 'blue'
        $charges = @((Get-TestLedger).charges)
        $charges | Should -HaveCount 2
        ($charges.CharacterId | Sort-Object) | Should -Be ($made.Id | Sort-Object)
    }

    It 'a bad attribute from -Attributes or a text field of a piped object is the row''s own InvalidAttributeValue or UnknownAttribute' {
        $rows = @(
            [pscustomobject]@{ Name = 'Table'; Attributes = @{ hair_color = @{ nested = 1 } } }
            [pscustomobject]@{ Name = 'Unknown'; Attributes = @{ hair_colour = 'red' } }
            [pscustomobject]@{ Name = 'Long'; AdditionalDetails = 'x' * 1001 }
            [pscustomobject]@{ Name = 'Fine'; Attributes = @{ age = '41' } }
        )

        $made = $rows | New-AurousCharacter -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue

        $made.Name | Should -Be 'Fine'
        $made.Attributes.Age | Should -Be 41
        $failed.FullyQualifiedErrorId -replace ',.*' | Should -Be 'InvalidAttributeValue', 'UnknownAttribute', 'InvalidAttributeValue'
        $failed.TargetObject.Name | Should -Be 'Table', 'Unknown', 'Long'
        $failed[1].Exception.Message | Should -BeLike "New character 'Unknown': Unknown attribute: hair_colour.*"
        @((Get-TestLedger).charges) | Should -HaveCount 1
    }

    It 'a key a later row repeats is refused with that row as TargetObject' {
        $rows = @(
            [pscustomobject]@{ Name = 'K1'; IdempotencyKey = 'import-k' }
            [pscustomobject]@{ Name = 'K2'; IdempotencyKey = 'import-k' }
            [pscustomobject]@{ Name = 'K3'; IdempotencyKey = 'bad key with spaces' }
        )

        $made = $rows | New-AurousCharacter -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue

        $made.Name | Should -Be 'K1'
        $failed.FullyQualifiedErrorId -replace ',.*' | Should -Be 'IdempotencyKeyReused', 'InvalidIdempotencyKey'
        $failed[0].TargetObject | Should -Be $rows[1]
        $failed[1].TargetObject | Should -Be $rows[2]
        $failed[1].Exception.Message | Should -BeLike "New character 'K3': An idempotency key must be*"
    }

    It 'a CSV row for Set-AurousCharacter with a bad Age is refused alone, naming the character' {
        $a, $b = New-TestCharacter 'SetA', 'SetB' -Complete
        $before = Get-TestCharacterState $a.Id

        $rows = @([pscustomobject]@{ Id = $a.Id; Age = '250' }, [pscustomobject]@{ Id = $b.Id; Age = '44' })
        $rows | Set-AurousCharacter -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidAttributeValue,*'
        $failed[0].Exception.Message | Should -Be "Character $($a.Id): Age must be a whole number from 0 to 200; got 250."
        $failed[0].TargetObject | Should -Be $rows[0]
        Get-TestCharacterState $a.Id | Should -Be $before
        (Read-TestCharacter -Id $b.Id).attributes.age | Should -Be 44
    }

    It 'typed on the command line, <Case> is the command''s <ErrorId> error and nothing is sent' -TestCases @(
        @{ Case = 'a 100-character name'; ErrorId = 'InvalidCharacterName'; Script = { New-AurousCharacter -Name ('N' * 100) -Confirm:$false } }
        @{ Case = 'age 300'; ErrorId = 'InvalidAttributeValue'; Script = { New-AurousCharacter -Name 'Aged' -Age 300 -Confirm:$false } }
        @{ Case = 'a nested attribute'; ErrorId = 'InvalidAttributeValue'; Script = { New-AurousCharacter -Name 'Nested' -Attributes @{ eye_color = 'blue', 'green' } -Confirm:$false } }
        @{ Case = 'a bad key'; ErrorId = 'InvalidIdempotencyKey'; Script = { New-AurousCharacter -Name 'Keyed' -IdempotencyKey ('k' * 300) -Confirm:$false } }
        @{ Case = 'pose Sideways'; ErrorId = 'InvalidPose'; Script = { Invoke-AurousResynthesis -Id 'char_01HXMQ7Z3K8Y2NABCDEFGHJKMR' -Pose Front, Sideways -Confirm:$false } }
        @{ Case = 'pose Sideways when saving refs'; ErrorId = 'InvalidPose'; Script = { Save-AurousCharacterRef -Id 'char_01HXMQ7Z3K8Y2NABCDEFGHJKMR' -Pose Sideways -Path $TestDrive } }
    ) {
        param($Case, $ErrorId, $Script)
        $failure = $null
        try { & $Script } catch { $failure = $_ }

        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        @((Get-TestLedger).charges) | Should -HaveCount 0
    }

    It 'still completes -Pose with the five poses' {
        $line = 'Invoke-AurousResynthesis -Id char_x -Pose S'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'Side'
        $line = 'Save-AurousCharacterRef -Id char_x -Pose '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'Portrait', 'Front', 'Side', 'Back', 'Other'
    }
}

Describe 'A re-run with -SkipExisting' {
    BeforeAll {
        $null = Start-TestEmulator -SynthesisSeconds 1
        Connect-TestEmulator
    }

    AfterAll {
        Stop-TestEmulator
    }

    BeforeEach {
        Reset-TestEmulator
    }

    It 'runs Import-Csv | New -SkipExisting | Wait | Save again a day later for no charge and no second character' {
        $csv = Join-Path $TestDrive 'characters.csv'
        @(
            [pscustomobject]@{ Name = 'Orion'; HairColor = 'black'; IdempotencyKey = 'nightly-orion' }
            [pscustomobject]@{ Name = 'Lyra'; HairColor = 'red'; IdempotencyKey = 'nightly-lyra' }
            [pscustomobject]@{ Name = 'Vega'; HairColor = 'silver'; IdempotencyKey = 'nightly-vega' }
        ) | Export-Csv -Path $csv -NoTypeInformation
        $job = "Import-Csv '$csv' | New-AurousCharacter -SkipExisting -Confirm:`$false | Wait-AurousCharacter | Save-AurousCharacter -Confirm:`$false -PassThru | ForEach-Object { 'SAVED ' + `$_.Name + ' ' + `$_.Status }"

        $first = Invoke-TestPwsh -Script $job
        $charges = @((Get-TestLedger).charges)
        $charges | Should -HaveCount 3 -Because $first
        ($first -split "`r?`n" | Where-Object { $_ -like 'SAVED *' } | Sort-Object) | Should -Be 'SAVED Lyra Ready', 'SAVED Orion Ready', 'SAVED Vega Ready'

        # Past the 24 hours a key replays for: the same keys would now create and charge everything again.
        Move-AurousEmulatorClock -Emulator (Get-TestEmulator) -Seconds (25 * 3600) -Confirm:$false
        $second = Invoke-TestPwsh -Script $job

        @((Get-TestLedger).charges) | Should -HaveCount 3 -Because $second
        ($second -split "`r?`n" | Where-Object { $_ -like 'SAVED *' } | Sort-Object) | Should -Be 'SAVED Lyra Ready', 'SAVED Orion Ready', 'SAVED Vega Ready'
        $second | Should -Not -Match 'ERROR|Exception'
        $names = @(Get-AurousCharacter).Name
        ($names | Sort-Object) | Should -Be 'Lyra', 'Orion', 'Vega'
    }

    It 'lists the team once per pipeline, counts the names it has just made, and says so in a Verbose line' {
        $run = Invoke-InTestRunspace {
            'Ada', 'Bea', 'Ada', 'Cyd', 'Bea' | New-AurousCharacter -SkipExisting -Confirm:$false -Verbose
        }

        $run.Output.Name | Should -Be 'Ada', 'Bea', 'Ada', 'Cyd', 'Bea'
        $run.Output[2].Id | Should -Be $run.Output[0].Id
        $run.Output[4].Id | Should -Be $run.Output[1].Id
        @($run.Verbose.Message -like 'GET /v1/characters?limit=100 -> 200*') | Should -HaveCount 1
        @($run.Verbose.Message -like "New character 'Ada': the team already has $($run.Output[0].Id) (Ada, Synthesizing, created * UTC); passing it on instead of creating another (-SkipExisting).") | Should -HaveCount 1
        $run.Error | Should -BeNullOrEmpty
        @((Get-TestLedger).charges) | Should -HaveCount 3
    }

    It 'passes on the newest of several characters with the name, with a warning' {
        $older, $newer = New-TestCharacter 'Twin', 'Twin'

        $run = Invoke-InTestRunspace { 'Twin' | New-AurousCharacter -SkipExisting -Confirm:$false }

        $run.Output.Id | Should -Be $newer.Id
        $run.Warning.Message | Should -Be "The team has 2 characters named 'Twin' ($($newer.Id), $($older.Id)); -SkipExisting passes on the newest, $($newer.Id). Remove the others if they are duplicates."
        @((Get-TestLedger).charges) | Should -HaveCount 2
    }

    It 'with -WhatIf reads the team (free), creates nothing and passes nothing on' {
        $existing = New-TestCharacter 'Known'

        $printed = Invoke-TestPwsh -Script "'Known', 'Unknown' | New-AurousCharacter -SkipExisting -WhatIf | ForEach-Object { 'EMITTED ' + `$_.Name }"

        $printed | Should -Match "What if: Performing the operation `"Pass on the team's existing $($existing.Id) \(Known, \w+, created [^)]+ UTC\) instead of creating another \(-SkipExisting; no credits\)`" on target `"Known`""
        $printed | Should -Match 'What if: Performing the operation "Create character ''Unknown'''
        $printed | Should -Not -Match 'EMITTED'
        @((Get-TestLedger).charges) | Should -HaveCount 1
    }

    It 'creates nothing for a row when the team cannot be listed, naming the row' {
        Add-TestFault -Route list -Kind error_500 -Count 10

        $run = Invoke-InTestRunspace { 'Nova' | New-AurousCharacter -SkipExisting -Confirm:$false }

        $run.Output | Should -BeNullOrEmpty
        $run.Error[0].FullyQualifiedErrorId | Should -BeLike 'ServerError,*'
        $run.Error[0].Exception.Message | Should -BeLike "New character 'Nova': *"
        @((Get-TestLedger).charges) | Should -HaveCount 0
    }
}
