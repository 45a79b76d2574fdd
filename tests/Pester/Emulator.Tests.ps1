#Requires -Version 7.0
<#
    Issue 15: users test their own scripts with the emulator commands the module ships. Start-AurousEmulator and
    Stop-AurousEmulator (a free port, the session connected, nothing left behind), the control commands (reset, finish,
    clock, faults, ledger, credits) on the connected emulator or a piped one, a team per key so test files that share
    an emulator never meet, and a reset that leaves this machine's client buckets full as well as the server's.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Dll = Get-TestEmulatorPath

    # Emulator processes this pwsh started that are still running: none, once a test has stopped what it started.
    function Get-ChildEmulator {
        @(Get-Process | Where-Object { $_.Parent -and $_.Parent.Id -eq $PID -and $_.CommandLine -match 'Aurous\.Emulator|aurous-emulator' })
    }

    function Get-ErrorId($Record) { ($Record.FullyQualifiedErrorId -split ',')[0] }

    # Waits up to 15 s for a process to end; the emulator polls its parent every half second.
    function Wait-ProcessGone([int] $Id) {
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while ((Get-Process -Id $Id -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        -not (Get-Process -Id $Id -ErrorAction SilentlyContinue)
    }
}

AfterAll {
    Disconnect-Aurous
}

Describe 'Start-AurousEmulator and Stop-AurousEmulator' {
    It 'start an emulator on a free loopback port, connect the session as team A, and stop it and only it, disconnecting' {
        $before = @(Get-ChildEmulator).Count

        $emulator = Start-AurousEmulator -Path $Dll -SynthesisSeconds 0
        $context = Get-AurousContext
        $created = New-AurousCharacter -Name 'Started' -Confirm:$false
        $emulator | Stop-AurousEmulator

        $emulator.PSObject.TypeNames[0] | Should -Be 'Aurous.Client.AurousEmulator'
        $emulator.BaseUri.Host | Should -Be '127.0.0.1'
        $emulator.BaseUri.Port | Should -Not -Be 5080
        ($emulator.Team, $emulator.ApiKey) | Should -Be @('team_a', 'al_live_emulator_team_a')
        $context.BaseUri | Should -Be $emulator.BaseUri
        $context.RateLimitMultiplier | Should -Be 1
        $created.Status | Should -Be 'Synthesizing'
        $emulator.HasExited | Should -BeTrue
        Get-AurousContext -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Where-Object Source -EQ Session | Should -BeNullOrEmpty
        @(Get-ChildEmulator).Count | Should -Be $before
    }

    It 'hands out a fresh team key with -NewTeam, and gives -RateLimitMultiplier to the emulator and the connection alike' {
        $first = Start-AurousEmulator -Path $Dll -NewTeam -NoConnect
        $second = Start-AurousEmulator -Path $Dll -NewTeam -RateLimitMultiplier 7.5 -Credits 40
        try {
            $first.Team | Should -Match '^test_[0-9a-f]{16}$'
            $second.Team | Should -Not -Be $first.Team
            $second.ApiKey | Should -Be "al_live_emulator_$($second.Team)"
            $second.BaseUri | Should -Not -Be $first.BaseUri
            (Get-AurousContext).RateLimitMultiplier | Should -Be 7.5
            (Get-AurousEmulatorLedger).Credits | Should -Be 40
            (Get-AurousEmulatorLedger).Team | Should -Be $second.Team
        }
        finally {
            $first, $second | Stop-AurousEmulator
        }

        $first.HasExited, $second.HasExited | Should -Be @($true, $true)
    }

    It 'with no emulator given, stops the one the session is connected to; stopping it twice is no error' {
        $emulator = Start-AurousEmulator -Path $Dll

        Stop-AurousEmulator
        $emulator | Stop-AurousEmulator -ErrorVariable again

        $emulator.HasExited | Should -BeTrue
        $again | Should -BeNullOrEmpty
        { Stop-AurousEmulator } | Should -Throw -ErrorId 'NotAnEmulator,*'
    }

    It 'says the tool is not installed, with the lines that install it and the SDK they need' {
        $saved = $env:PATH, $env:DOTNET_CLI_HOME
        try {
            $env:PATH = $TestDrive
            $env:DOTNET_CLI_HOME = $TestDrive
            $failure = try { Start-AurousEmulator } catch { $_ }
        }
        finally {
            $env:PATH, $env:DOTNET_CLI_HOME = $saved
        }

        Get-ErrorId $failure | Should -Be 'EmulatorNotInstalled'
        $failure.CategoryInfo.Category | Should -Be 'NotInstalled'
        "$failure" | Should -Match 'not installed: it is not on PATH nor in .*\.dotnet.tools'
        "$failure" | Should -Match '\.NET 10 SDK'
        "$failure" | Should -Match 'dotnet tool install --global Aurous\.Emulator --add-source <folder with Aurous\.Emulator\.0\.1\.0\.nupkg> --version 0\.1\.0'
        "$failure" | Should -Match '(?m)^    dotnet tool install --global Aurous\.Emulator --version 0\.1\.0'
    }

    It 'stops with EmulatorStartFailed, quoting what the program said, when it does not start' {
        $notAnEmulator = Join-Path (Split-Path (Get-TestModuleManifest)) 'Dependencies/Aurous.Client.dll'
        $before = @(Get-ChildEmulator).Count

        $failure = try { Start-AurousEmulator -Path $notAnEmulator } catch { $_ }

        Get-ErrorId $failure | Should -Be 'EmulatorStartFailed'
        "$failure" | Should -Match 'The emulator did not start \(.*Aurous\.Client\.dll --urls http://127\.0\.0\.1:0 --parent-pid \d+\)\. It exited with code \d+'
        @(Get-ChildEmulator).Count | Should -Be $before
    }

    It 'passes a data folder with spaces in its name through unchanged' {
        $folder = Join-Path $TestDrive 'my "emulator" data'
        $emulator = Start-AurousEmulator -Path $Dll -DataPath $folder -NoConnect
        try {
            $emulator.DataPath | Should -Be $folder
            Test-Path -LiteralPath $folder | Should -BeTrue
        }
        finally {
            $emulator | Stop-AurousEmulator
        }
    }

    It 'leaves no emulator behind when the PowerShell that started it exits, is killed, or removes the module' {
        # Three pwsh processes at once: one exits, one removes the module, one is killed while it runs.
        $command = @(Get-TestPwshCommand)
        $children = @{}
        foreach ($case in @{
                Exits   = "(Start-AurousEmulator -Path '$Dll').ProcessId"
                Removes = "`$e = Start-AurousEmulator -Path '$Dll'; Remove-Module Aurous; `"`$(`$e.ProcessId) `$(`$e.HasExited)`""
                Killed  = "(Start-AurousEmulator -Path '$Dll').ProcessId; Start-Sleep 600"
            }.GetEnumerator()) {
            $file = Join-Path $TestDrive "$($case.Key).ps1"
            Set-Content -Path $file -Value "Import-Module '$(Get-TestModuleManifest)'; $($case.Value)"
            $children[$case.Key] = [pscustomobject]@{
                Output  = "$file.out"
                Process = Start-Process -FilePath $command[0] -ArgumentList (@($command | Select-Object -Skip 1) + @('-NoProfile', '-File', $file)) `
                    -RedirectStandardOutput "$file.out" -RedirectStandardError "$file.err" -PassThru -NoNewWindow
            }
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        while (-not (Get-Content $children.Killed.Output -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Stop-Process -Id $children.Killed.Process.Id -Force
        $children.Values | ForEach-Object { $_.Process.WaitForExit(120000) | Should -BeTrue }
        $printed = @{}
        $children.Keys | ForEach-Object { $printed[$_] = "$(Get-Content $children[$_].Output | Select-Object -First 1)".Trim() }

        $printed.Exits | Should -Match '^\d+$'
        Wait-ProcessGone ([int] $printed.Exits) | Should -BeTrue -Because 'the session exited'
        $printed.Removes | Should -Match '^\d+ True$' -Because 'Remove-Module stops the emulators the module started'
        $printed.Killed | Should -Match '^\d+$'
        Wait-ProcessGone ([int] $printed.Killed) | Should -BeTrue -Because 'its parent was killed (--parent-pid)'
    }
}

Describe 'An emulator with -DataPath' {
    It 'keeps a character, its one charge and its idempotency key across a stop and a kill -9' {
        $data = Join-Path $TestDrive 'state'
        $first = Start-AurousEmulator -Path $Dll -DataPath $data -SynthesisSeconds 30
        $created = New-AurousCharacter -Name 'Kept' -IdempotencyKey 'kept-run-1' -Confirm:$false
        $first | Stop-AurousEmulator
        $second = Start-AurousEmulator -Path $Dll -DataPath $data -SynthesisSeconds 30
        $restarted = Get-AurousCharacter -Id $created.Id
        Stop-Process -Id $second.ProcessId -Force
        $second.Process.WaitForExit()
        $third = Start-AurousEmulator -Path $Dll -DataPath $data -SynthesisSeconds 30
        try {
            $replayed = New-AurousCharacter -Name 'Kept' -IdempotencyKey 'kept-run-1' -Confirm:$false
            $ledger = Get-AurousEmulatorLedger
            $listed = @(Get-AurousCharacter)
        }
        finally {
            $third | Stop-AurousEmulator
        }

        $second.BaseUri | Should -Not -Be $first.BaseUri -Because 'each start takes a free port; the state follows the folder'
        ($restarted.Id, $restarted.Name) | Should -Be @($created.Id, 'Kept')
        $replayed.Id | Should -Be $created.Id
        $replayed.LastResponse.Replayed | Should -BeTrue
        $listed.Id | Should -Be @($created.Id)
        ($ledger.Credits, $ledger.Charges.Count, $ledger.Charges[0].IdempotencyKey) | Should -Be @(996, 1, 'kept-run-1')
    }
}

Describe 'The control commands' {
    BeforeAll {
        $script:Emulator = Start-AurousEmulator -Path $Dll -SynthesisSeconds 30 -RateLimitMultiplier 50 -NoConnect
    }

    AfterAll {
        $Emulator | Stop-AurousEmulator
    }

    BeforeEach {
        $Emulator | Reset-AurousEmulator -All
        Connect-Aurous -ApiKey (ConvertTo-SecureString $TeamAKey -AsPlainText -Force) -BaseUri $Emulator.BaseUri -RateLimitMultiplier 50
    }

    It 'Complete-AurousEmulatorSynthesis finishes by -Id or piped characters, reviewing or failed, and emits them as they now stand' {
        $made = 1..3 | ForEach-Object { New-AurousCharacter -Name "Done $_" -Confirm:$false }

        $reviewing = $made[0..1] | Complete-AurousEmulatorSynthesis
        $failed = Complete-AurousEmulatorSynthesis -Id $made[2].Id -Failed -ErrorMessage 'GPU on fire'
        Complete-AurousEmulatorSynthesis -Id $made[2].Id -ErrorVariable twice -ErrorAction SilentlyContinue

        $reviewing.Status | Should -Be @('Reviewing', 'Reviewing')
        $reviewing.Id | Should -Be $made[0..1].Id
        ($failed.Status, $failed.ErrorMessage) | Should -Be @('Failed', 'GPU on fire')
        (Get-AurousCharacter -Id $made[0].Id).Status | Should -Be 'Reviewing'
        Get-ErrorId $twice[0] | Should -Be 'InvalidRequest'
        "$($twice[0])" | Should -Match "^Character $($made[2].Id) \(Done 3\): .*not synthesizing"
        { Complete-AurousEmulatorSynthesis -Id $made[0].Id -ErrorMessage 'x' } | Should -Throw -ErrorId 'InvalidConfiguration,*'
    }

    It 'Move-AurousEmulatorClock ends a 30 s synthesis without a wait, by -Seconds or -Duration' {
        $character = New-AurousCharacter -Name 'Clocked' -Confirm:$false

        $clock = Move-AurousEmulatorClock 20 -PassThru
        $midway = Get-AurousCharacter -Id $character.Id
        $moved = Move-AurousEmulatorClock -Duration (New-TimeSpan -Seconds 11) -PassThru

        $midway.Status | Should -Be 'Synthesizing'
        (Get-AurousCharacter -Id $character.Id).Status | Should -Be 'Reviewing'
        $clock.Offset | Should -Be ([timespan]::FromSeconds(20))
        $moved.Offset | Should -Be ([timespan]::FromSeconds(31))
        Move-AurousEmulatorClock -Duration ([timespan]::FromSeconds(-1)) -ErrorVariable backwards -ErrorAction SilentlyContinue
        Get-ErrorId $backwards[0] | Should -Be 'InvalidRequest'
    }

    It 'Get-AurousEmulatorLedger and Set-AurousEmulatorCredit read and set the credits of the connected team, or of -Team' {
        $character = New-AurousCharacter -Name 'Charged' -Confirm:$false

        $ledger = Get-AurousEmulatorLedger
        Set-AurousEmulatorCredit 3
        New-AurousCharacter -Name 'Too dear' -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue
        Set-AurousEmulatorCredit -Credits 7 -Team team_b

        ($ledger.Team, $ledger.Credits, $ledger.Spent) | Should -Be @('team_a', 996, 4)
        ($ledger.Charges[0].Route, $ledger.Charges[0].CharacterId, $ledger.Charges[0].Generations) | Should -Be @('create', $character.Id, 4)
        $ledger.Charges[0].IdempotencyKey | Should -Be $character.LastResponse.IdempotencyKey
        Get-ErrorId $refused[0] | Should -Be 'InsufficientCredits'
        (Get-AurousEmulatorLedger).Credits | Should -Be 3
        (Get-AurousEmulatorLedger team_b).Credits | Should -Be 7
    }

    It 'Add-AurousEmulatorFault makes the next requests fail, and Clear-AurousEmulatorFault ends every rule' {
        $character = New-AurousCharacter -Name 'Faulted' -Confirm:$false
        Add-AurousEmulatorFault -Route get -Kind error_500

        $retried = Get-AurousCharacter -Id $character.Id -Verbose 4>&1
        Add-AurousEmulatorFault get error_500 -Rate 1
        Add-AurousEmulatorFault -Route '*' -Kind rate_limit -Count 5 -RetryAfterSeconds 30
        Clear-AurousEmulatorFault
        $clean = Get-AurousCharacter -Id $character.Id -Verbose 4>&1

        @($retried | Where-Object { $_.PSObject.TypeNames[0] -eq 'Aurous.Client.Character' }).Count | Should -Be 1
        @($retried | Where-Object { "$_" -match '-> 500' }).Count | Should -Be 1
        @($clean | Where-Object { "$_" -match '-> (500|429)' }).Count | Should -Be 0
        @($clean | Where-Object { $_.PSObject.TypeNames[0] -eq 'Aurous.Client.Character' }).Count | Should -Be 1
        Add-AurousEmulatorFault -Route get -Kind delay -ErrorVariable incomplete -ErrorAction SilentlyContinue
        "$($incomplete[0])" | Should -Match 'delay_ms'
    }

    It 'Reset-AurousEmulator resets the connected team only; -All resets every team' {
        $mine = New-AurousCharacter -Name 'Mine' -Confirm:$false
        Set-AurousEmulatorCredit -Credits 50 -Team team_b

        Reset-AurousEmulator
        $afterTeam = (Get-AurousEmulatorLedger), (Get-AurousEmulatorLedger -Team team_b)
        Reset-AurousEmulator -All

        ($afterTeam[0].Credits, $afterTeam[0].Charges.Count) | Should -Be @(1000, 0)
        $afterTeam[1].Credits | Should -Be 50
        (Get-AurousEmulatorLedger -Team team_b).Credits | Should -Be 1000
        Get-AurousCharacter -Id $mine.Id -ErrorVariable gone -ErrorAction SilentlyContinue
        Get-ErrorId $gone[0] | Should -Be 'CharacterNotFound'
    }

    It 'act on a piped emulator whatever the session is connected to' {
        $other = Start-AurousEmulator -Path $Dll -NewTeam -NoConnect
        try {
            $other | Set-AurousEmulatorCredit -Credits 5
            $ledger = $other | Get-AurousEmulatorLedger
            $here = Get-AurousEmulatorLedger
        }
        finally {
            $other | Stop-AurousEmulator
        }

        ($ledger.Team, $ledger.Credits) | Should -Be @($other.Team, 5)
        ($here.Team, $here.Credits) | Should -Be @('team_a', 1000)
        (Get-AurousContext).BaseUri | Should -Be $Emulator.BaseUri -Because 'stopping an emulator the session is not connected to leaves the session alone'
    }

    It 'refuse, as NotAnEmulator, a session that is not connected to an emulator on this machine' {
        Connect-Aurous -ApiKey (ConvertTo-SecureString 'al_live_not_an_emulator_0000' -AsPlainText -Force) -BaseUri 'https://api.aurous-labs.com/' -SkipCheck
        $remote = try { Reset-AurousEmulator -All } catch { $_ }
        Disconnect-Aurous
        $none = try { Get-AurousEmulatorLedger } catch { $_ }

        Get-ErrorId $remote | Should -Be 'NotAnEmulator'
        "$remote" | Should -Match '^https://api\.aurous-labs\.com is not an emulator on this machine'
        Get-ErrorId $none | Should -Be 'NotAnEmulator'
        "$none" | Should -Match '^Not connected to an emulator: Start-AurousEmulator'
    }

    It 'support -WhatIf, sending nothing' {
        Set-AurousEmulatorCredit 1 -WhatIf
        Reset-AurousEmulator -All -WhatIf
        $started = Start-AurousEmulator -Path $Dll -WhatIf

        (Get-AurousEmulatorLedger).Credits | Should -Be 1000
        $started | Should -BeNullOrEmpty
    }
}

Describe 'A reset and the client''s rate-limit buckets' {
    It 'after 12 creates at the documented synthesize bucket and a reset, 3 creates are not paced, here or in another process' {
        # The documented bucket: 12 burst, 6 a minute; the client keeps one token back, so the 12th create waits 10 s.
        $emulator = Start-AurousEmulator -Path $Dll -NewTeam
        try {
            $drain = 1..12 | ForEach-Object { New-AurousCharacter -Name "Burst $_" -Confirm:$false -Verbose 4>&1 }
            Reset-AurousEmulator
            $after = 1..3 | ForEach-Object { New-AurousCharacter -Name "After $_" -Confirm:$false -Verbose 4>&1 }
            $elsewhere = Invoke-TestPwsh -NoConnect -Script @"
Connect-Aurous -ApiKey (ConvertTo-SecureString '$($emulator.ApiKey)' -AsPlainText -Force) -BaseUri '$($emulator.BaseUri)'
1..3 | ForEach-Object { New-AurousCharacter -Name "Elsewhere `$_" -Confirm:`$false -Verbose 4>&1 } | ForEach-Object { "`$_" }
"@
            $ledger = Get-AurousEmulatorLedger
        }
        finally {
            $emulator | Stop-AurousEmulator
        }

        @($drain | Where-Object { "$_" -like 'Waiting *characters_synthesize*' }).Count | Should -Be 1 -Because 'the burst is spent: without a reset the next create waits'
        @($after | Where-Object { $_.PSObject.TypeNames[0] -eq 'Aurous.Client.Character' }).Count | Should -Be 3
        @($after | Where-Object { "$_" -like 'Waiting *' -or "$_" -match '-> 429' }) | Should -BeNullOrEmpty
        $elsewhere | Should -Not -Match 'Waiting |-> 429|Error'
        @($elsewhere -split "`n" | Where-Object { $_ -match '-> 201' }).Count | Should -Be 3
        $ledger.Charges.Count | Should -Be 6
    }
}

Describe 'Test files that share one emulator, each with a team of its own' {
    It 'run in parallel and see none of each other''s characters, charges or 429s' {
        # The documented limits: 8 creates each, 16 in all, would be 429s past the 12 burst if the teams shared a bucket.
        $emulator = Start-AurousEmulator -Path $Dll -NoConnect
        $userTest = Join-Path $TestDrive 'MyScript.Tests.ps1'
        Set-Content -Path $userTest -Value @'
BeforeAll {
    Import-Module $env:AUROUS_TEST_MODULE
    $script:Key = "al_live_emulator_file_$([guid]::NewGuid().ToString('n').Substring(0, 12))"
    Connect-Aurous -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $env:AUROUS_TEST_EMULATOR
}

Describe 'my script' {
    It 'creates its characters and sees only them' {
        $made = 1..8 | ForEach-Object { New-AurousCharacter -Name "Mine $_" -Confirm:$false -Verbose 4>&1 }
        $characters = @($made | Where-Object { $_.PSObject.TypeNames[0] -eq 'Aurous.Client.Character' })

        $characters.Count | Should -Be 8
        @($made | Where-Object { "$_" -match '-> 429' }) | Should -BeNullOrEmpty
        (Get-AurousCharacter).Id | Sort-Object | Should -Be ($characters.Id | Sort-Object)
        $ledger = Get-AurousEmulatorLedger
        ($ledger.Credits, $ledger.Charges.Count) | Should -Be @(968, 8)
        $ledger.Charges.CharacterId | Sort-Object | Should -Be ($characters.Id | Sort-Object)
    }
}
'@
        $pester = (Get-Module Pester).Path
        $runner = Join-Path $TestDrive 'run.ps1'
        Set-Content -Path $runner -Value "Import-Module '$pester'; `$r = Invoke-Pester -Path '$userTest' -PassThru -Output None; `"passed=`$(`$r.PassedCount) failed=`$(`$r.FailedCount)`""
        $command = @(Get-TestPwshCommand)
        $env:AUROUS_TEST_MODULE = Get-TestModuleManifest
        $env:AUROUS_TEST_EMULATOR = "$($emulator.BaseUri)"
        try {
            $runs = 1..2 | ForEach-Object {
                Start-Process -FilePath $command[0] -ArgumentList (@($command | Select-Object -Skip 1) + @('-NoProfile', '-File', $runner)) `
                    -RedirectStandardOutput (Join-Path $TestDrive "run$_.out") -RedirectStandardError (Join-Path $TestDrive "run$_.err") -PassThru -NoNewWindow
            }
            $runs | ForEach-Object { $_.WaitForExit(180000) | Should -BeTrue }
        }
        finally {
            $env:AUROUS_TEST_MODULE = $env:AUROUS_TEST_EMULATOR = $null
            $emulator | Stop-AurousEmulator
        }

        1..2 | ForEach-Object { (Get-Content (Join-Path $TestDrive "run$_.out") -Raw).Trim() | Should -Be 'passed=1 failed=0' }
    }
}
