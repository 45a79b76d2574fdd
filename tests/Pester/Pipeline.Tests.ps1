#Requires -Version 7.0
<#
    Get | Wait | Save as a pipeline: streaming, binding, errors per input, progress, completion, Ctrl+C and the
    Verbose/Debug streams, in real pwsh against this file's emulator. Characters are finished through the control
    surface, so no result depends on timing.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-TestSession
}

AfterAll { Stop-TestSession }

Describe 'Get | Wait | Save' {
    It 'saves the characters that settle and reports the one that failed' {
        $ids = (New-TestCharacter 'Pipeline 1', 'Pipeline 2', 'Pipeline 3').Id
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
        (Read-TestCharacter $ids[0]).status | Should -Be 'ready'
    }

    It 'passes each character on as soon as it settles' {
        $ids = (New-TestCharacter 'Streaming 1', 'Streaming 2').Id
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $run = Start-InTestRunspace { param($Ids) Wait-AurousCharacter -Id $Ids -PollIntervalSec 0.1 -TimeoutSec 60 } -ArgumentList (, [string[]] $ids) -Output $output
        $ps, $running = $run.PowerShell, $run.Handle
        try {
            Start-Sleep -Milliseconds 300
            Complete-TestCharacter $ids[1]
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ($output.Count -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }

            $output.Count | Should -Be 1
            $output[0].Id | Should -Be $ids[1]
            $running.IsCompleted | Should -BeFalse -Because 'the other character is still synthesizing'

            Complete-TestCharacter $ids[0]
            $null = $ps.EndInvoke($running)
            $output.Id | Should -Be @($ids[1], $ids[0])
            $ps.Streams.Error | Should -BeNullOrEmpty
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'gives one error for a bad id among good ones and still returns the rest' {
        $ids = (New-TestCharacter 'Mixed 1', 'Mixed 2').Id
        $missing = 'char_01HXMQ7Z3K8Y2NNOSUCHCHARACT'

        $found = $ids[0], $missing, $ids[1] | Get-AurousCharacter -ErrorVariable failures -ErrorAction SilentlyContinue

        $found.Id | Should -Be $ids
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CharacterNotFound,*'
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be $missing
        $failures[0].ToString() | Should -Match '(?i)request id'
    }

    It 'binds ids by property name and from character objects' {
        $id = (New-TestCharacter 'Bound').Id

        $byAlias = [pscustomobject]@{ CharacterId = $id } | Get-AurousCharacter
        $byObject = Get-AurousCharacter -Id $id | Get-AurousCharacter

        $byAlias.Id | Should -Be $id
        $byObject.Id | Should -Be $id
        $byObject.Name | Should -Be 'Bound'
    }

    It 'reports each character still pending at the timeout' {
        $ids = (New-TestCharacter 'Slow 1', 'Slow 2', 'Slow 3').Id
        Complete-TestCharacter $ids[0]

        # 2 s: the settled character's first poll must land before the deadline even on a loaded machine.
        $settled = Wait-AurousCharacter -Id $ids -TimeoutSec 2 -PollIntervalSec 0.1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $settled.Id | Should -Be $ids[0]
        $failures | Should -HaveCount 2
        $failures | ForEach-Object { "$($_.CategoryInfo.Category)" } | Should -Be @('OperationTimeout', 'OperationTimeout')
        ($failures.TargetObject | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Id } } | Sort-Object) | Should -Be ($ids[1], $ids[2] | Sort-Object)
    }

    It 'reports progress unless $ProgressPreference silences it' {
        $ids = (New-TestCharacter 'Progress 1', 'Progress 2').Id
        Complete-TestCharacter $ids[0]
        Complete-TestCharacter $ids[1] -Outcome failed -ErrorMessage 'no'

        $shown = Invoke-InTestRunspace { Wait-AurousCharacter -Id $args[0] -PollIntervalSec 0.1 } -ArgumentList (, $ids)
        $silenced = Invoke-InTestRunspace { $ProgressPreference = 'SilentlyContinue'; Wait-AurousCharacter -Id $args[0] -PollIntervalSec 0.1 } -ArgumentList (, $ids)

        $shown.Progress.StatusDescription | Should -Contain '1 settled, 0 pending, 1 failed'
        "$($shown.Progress[-1].RecordType)" | Should -Be 'Completed'
        $silenced.Progress | Should -BeNullOrEmpty
        $silenced.Output | Should -HaveCount 1
    }

    It 'completes the ids it has emitted on -Id and the poses on -Pose' {
        $id = (New-TestCharacter 'Completed').Id
        $null = Get-AurousCharacter -Id $id

        $line = 'Save-AurousCharacter -Id ' + $id.Substring(0, 10)
        $ids = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $line = 'Invoke-AurousResynthesis -Id x -Pose s'
        $poses = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText

        $ids | Should -Contain $id
        $poses | Should -Be @('Side')
    }

    It 'stops a long wait within a second of Ctrl+C' {
        $id = (New-TestCharacter 'Never settles').Id
        # Polls 30 s apart: nothing is written meanwhile, so only cancelling the wait can end it promptly.
        $ps = (Start-InTestRunspace { param($Id) Wait-AurousCharacter -Id $Id -TimeoutSec 600 -PollIntervalSec 30 } -ArgumentList $id).PowerShell
        Start-Sleep -Seconds 2

        $elapsed = Measure-Command { $ps.Stop() }

        $elapsed.TotalSeconds | Should -BeLessThan 1
        "$($ps.InvocationStateInfo.State)" | Should -Be 'Stopped'
        $ps.Dispose()
    }
}

Describe 'Verbose and Debug' {
    It 'shows nothing by default, the HTTP lines with -Verbose and the bodies with Debug' {
        $id = (New-TestCharacter 'Chatty').Id

        $quiet = Invoke-InTestRunspace { Get-AurousCharacter -Id $args[0] } -ArgumentList $id
        $loud = Invoke-InTestRunspace { $DebugPreference = 'Continue'; Get-AurousCharacter -Id $args[0] -Verbose } -ArgumentList $id

        $quiet.Verbose | Should -BeNullOrEmpty
        $quiet.Debug | Should -BeNullOrEmpty
        ($loud.Verbose.Message | Where-Object { $_ -match 'GET' -and $_ -match "/v1/characters/$id" -and $_ -match '200' }) | Should -Not -BeNullOrEmpty
        ($loud.Debug.Message | Where-Object { $_ -match 'Chatty' }) | Should -Not -BeNullOrEmpty
    }
}
