#Requires -Version 7.0
<#
    Scheduled jobs: scripts run by pwsh -NonInteractive, where any prompt is an error after the call was paid for.
    -Debug on every cmdlet that spends or changes something writes its debug lines and carries on, both there and in
    a console-like child (its standard input open), where no prompt text may appear.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-TestSession

    # Each line the child prints as 'name: key=value ...', parsed into one object per name.
    function script:Read-Report([string] $Printed) {
        $report = @{}
        foreach ($match in [regex]::Matches($Printed, '(?m)^(?<name>[\w-]+): (?<pairs>(\w+=\S*\s*)+)$')) {
            $values = @{}
            foreach ($pair in $match.Groups['pairs'].Value.Trim() -split '\s+') {
                $key, $value = $pair -split '=', 2
                $values[$key] = $value
            }
            $report[$match.Groups['name'].Value] = [pscustomobject]$values
        }
        $report
    }

    <#
        Runs every cmdlet that spends or changes something with -Debug, each writing its debug stream into its output
        (5>&1), and prints per cmdlet what came back: the object's id or name and how many debug lines it wrote.
        A prompt would end the command with an error, which 'failed=' counts.
    #>
    $script:DebugJob = {
        param([string] $Reviewing, [string] $Doomed, [string] $Folder)
        function Report([string] $Name, [scriptblock] $Command) {
            $failed = 0
            $output = @(try { & $Command } catch { $failed++; Write-Host "$Name threw: $_" })
            $debug = @($output | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
            $objects = @($output | Where-Object { $_ -isnot [System.Management.Automation.DebugRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] })
            $failed += @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count
            $first = if ($objects) { $objects[0] } else { $null }
            $value = if ($null -eq $first) { '' } elseif ($first.PSObject.Properties['Id']) { $first.Id } elseif ($first.PSObject.Properties['id']) { $first.id } else { $first.Name }
            Write-Host "${Name}: objects=$($objects.Count) value=$value debug=$($debug.Count) failed=$failed"
        }

        Report 'new' { New-AurousCharacter -Name 'Debug job' -Debug 5>&1 2>&1 }
        Report 'set' { Set-AurousCharacter -Id $Reviewing -HairColor red -PassThru -Debug 5>&1 2>&1 }
        Report 'save' { Save-AurousCharacter -Id $Reviewing -PassThru -Debug 5>&1 2>&1 }
        Report 'ref' { Save-AurousCharacterRef -Id $Reviewing -Pose Portrait -Path $Folder -Debug 5>&1 2>&1 }
        Report 'resynthesis' { Invoke-AurousResynthesis -Id $Reviewing -Debug 5>&1 2>&1 }
        Report 'request' { Invoke-AurousRequest -Method Post -Path "/v1/characters/$Doomed/save" -Debug 5>&1 2>&1 }
        Report 'remove' { Remove-AurousCharacter -Id $Doomed -Confirm:$false -Debug 5>&1 2>&1 }
        Report 'get' { Get-AurousCharacter -Id $Reviewing -Debug 5>&1 2>&1 }
    }

    function script:New-DebugJobScript {
        $reviewing, $doomed = New-TestCharacter 'Debug target', 'Debug doomed' -Complete
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        [pscustomobject]@{
            Reviewing = $reviewing.Id
            Doomed    = $doomed.Id
            Script    = "& { $DebugJob } '$($reviewing.Id)' '$($doomed.Id)' '$folder'"
        }
    }
}

AfterAll { Stop-TestSession }

Describe '-Debug in an unattended job' {
    It 'returns every object under -NonInteractive, writes debug lines, and asks nothing' {
        $job = New-DebugJobScript

        $printed = Invoke-TestPwsh -NonInteractive -Script $job.Script
        $report = Read-Report $printed

        $printed | Should -Not -Match 'NonInteractive mode|Continue with this operation'
        foreach ($name in 'new', 'set', 'save', 'ref', 'resynthesis', 'request', 'remove', 'get') {
            $report[$name] | Should -Not -BeNullOrEmpty -Because "$name reports (printed: $printed)"
            $report[$name].failed | Should -Be '0' -Because "$name must not fail (printed: $printed)"
            [int]$report[$name].debug | Should -BeGreaterThan 0 -Because "$name writes its request and answer bodies"
        }
        $report['new'].value | Should -Match '^char_'
        $report['set'].value | Should -Be $job.Reviewing
        $report['save'].value | Should -Be $job.Reviewing
        $report['ref'].value | Should -Match "^$($job.Reviewing)-portrait\."
        $report['resynthesis'].value | Should -Be $job.Reviewing
        $report['request'].value | Should -Be $job.Doomed
        $report['remove'].objects | Should -Be '0'
        (Read-TestCharacter $job.Doomed).status | Should -Be 'deleted'
        (Read-TestCharacter $job.Reviewing).attributes.hair_color | Should -Be 'red'
        @((Get-TestLedger).charges | Where-Object { $_.CharacterId -eq $job.Reviewing -and $_.route -ne 'create' }) | Should -HaveCount 1
    }

    It 'prints no prompt in a console-like session, whose standard input could answer one' {
        $job = New-DebugJobScript

        # The debug lines of the last command go to the console, as they do for a person typing it.
        $script = $job.Script + "`nNew-AurousCharacter -Name 'Console debug' -Debug | ForEach-Object { 'console: value=' + `$_.Id }"

        # Were a prompt shown, these lines would answer it with Halt and the command would fail.
        $printed = Invoke-TestPwsh -Script $script -InputLine (@('H') * 20)
        $report = Read-Report $printed

        $printed | Should -Not -Match 'Continue with this operation|\[Y\] Yes|Halt Command'
        $printed | Should -Match 'DEBUG: POST /v1/characters request body: \{"name":"Console debug"\}'
        $report['console'].value | Should -Match '^char_'
        foreach ($name in 'new', 'set', 'save', 'ref', 'resynthesis', 'request', 'remove', 'get') {
            $report[$name].failed | Should -Be '0' -Because "$name must not fail (printed: $printed)"
        }
    }

    It 'writes warnings and verbose lines beside the debug lines without asking, under -NonInteractive' {
        $character = New-TestCharacter 'Debug warned'
        Add-TestFault -Route get -Kind error_500 -Count 1

        $printed = Invoke-TestPwsh -NonInteractive -Script @"
`$out = Wait-AurousCharacter -Id '$($character.Id)' -TimeoutSec 3 -PollIntervalSec 0.2 -Debug -Verbose 3>&1 4>&1 5>&1 2>&1
"warnings=`$(@(`$out | Where-Object { `$_ -is [System.Management.Automation.WarningRecord] }).Count)"
"verbose=`$(@(`$out | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] }).Count)"
"debug=`$(@(`$out | Where-Object { `$_ -is [System.Management.Automation.DebugRecord] }).Count)"
"errors=`$((@(`$out | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] }) | ForEach-Object FullyQualifiedErrorId) -join ',')"
"@
        Clear-TestFault

        $printed | Should -Not -Match 'NonInteractive mode|Continue with this operation'
        $printed | Should -Match 'warnings=1'
        $printed | Should -Match 'verbose=[1-9]'
        $printed | Should -Match 'debug=[1-9]'
        $printed | Should -Match 'errors=WaitTimedOut'
    }
}

Describe 'The output types by name, in a fresh session' {
    It 'knows [Aurous.Client.Character] right after Import-Module: -is, typed parameters, casts and Should -BeOfType' {
        $pester = (Get-Module Pester).Path

        $printed = Invoke-TestPwsh -NonInteractive -Script @"
`$named = [Aurous.Client.Character]
`$c = New-AurousCharacter -Name 'Typed'
"is: value=`$(`$c -is [Aurous.Client.Character]) same=`$(`$c.GetType() -eq `$named)"
function Measure-Typed([Aurous.Client.Character[]] `$Character) { `$Character.Count }
"typed: value=`$(Measure-Typed @(`$c, `$c))"
`$cast = [Aurous.Client.Character[]]@(Get-AurousCharacter -Id `$c.Id)
"cast: value=`$(`$cast.GetType().FullName)"
"enum: value=`$([Aurous.Client.CharacterStatus]`$c.Status -eq [Aurous.Client.CharacterStatus]::Synthesizing)"
Import-Module '$pester'
`$c | Should -BeOfType ([Aurous.Client.Character])
"beoftype: value=passed"
"@
        $report = Read-Report $printed

        $report['is'].value | Should -Be 'True' -Because $printed
        $report['is'].same | Should -Be 'True'
        $report['typed'].value | Should -Be '2'
        $report['cast'].value | Should -Be 'Aurous.Client.Character[]'
        $report['enum'].value | Should -Be 'True'
        $report['beoftype'].value | Should -Be 'passed'
    }
}

Describe 'A failed character whose error_message is an object, as the API pages type it' {
    BeforeAll {
        $script:FailedId = 'char_01HXMQ7Z3K8Y2NFAILEDOBJECT0'
        $character = '{"id":"' + $FailedId + '","object":"character","name":"Objecting","status":"failed","refs":[],' +
            '"created_at":"2026-05-08T10:00:00Z","updated_at":"2026-05-08T10:00:05Z","attributes":null,' +
            '"error_message":{"code":"gpu_unavailable","message":"No GPU capacity in region"},"aurous_version":"2026-05-15"}'
        $script:Stub = Start-TestStub -Answer @{
            'GET /v1/characters?limit=1'   = @{ Status = 200; Body = '{"object":"list","data":[],"has_more":false}' }
            "GET /v1/characters/$FailedId" = @{ Status = 200; Body = $character }
        }
    }

    AfterAll { & $Stub.Stop }

    It 'reads, shows its message, keeps the whole value, and settles a wait with that message' {
        $printed = Invoke-TestPwsh -NoConnect -NonInteractive -Script @"
Connect-Aurous -ApiKey (ConvertTo-SecureString 'al_live_stub' -AsPlainText -Force) -BaseUri '$($Stub.BaseUri)'
`$c = Get-AurousCharacter -Id '$FailedId'
"read: status=`$(`$c.Status) code=`$((`$c.ErrorMessageJson | ConvertFrom-Json).code)"
"message=`$(`$c.ErrorMessage)"
`$c | Format-List | Out-String -Width 200
`$waited = Wait-AurousCharacter -Id '$FailedId' -TimeoutSec 20 -ErrorVariable failures -ErrorAction SilentlyContinue
"wait: passed=`$(@(`$waited).Count) errors=`$(`$failures.Count) id=`$(`$failures[0].FullyQualifiedErrorId -replace ',.*') target=`$(`$failures[0].TargetObject.Id)"
"waitmessage=`$(`$failures[0])"
"@
        $report = Read-Report $printed

        $report['read'].status | Should -Be 'Failed' -Because $printed
        $report['read'].code | Should -Be 'gpu_unavailable'
        $printed | Should -Match '(?m)^message=No GPU capacity in region$'
        $printed | Should -Match 'ErrorMessage\s+: No GPU capacity in region'
        $report['wait'].passed | Should -Be '0'
        $report['wait'].errors | Should -Be '1'
        $report['wait'].id | Should -Be 'CharacterFailed'
        $report['wait'].target | Should -Be $FailedId
        $printed | Should -Match "waitmessage=Character $FailedId \(Objecting\): .*No GPU capacity in region"
    }
}
