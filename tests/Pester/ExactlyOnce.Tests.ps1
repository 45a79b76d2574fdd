#Requires -Version 7.0
<#
    Issue 10, "every paid call the user sees fail can be finished without paying twice", in real pwsh against this
    file's emulator: the error names the key, running the same command with it finishes the call as a replay, and a
    key per CSV row makes a whole import safe to run again. The ledger is the judge: one charge per call.
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

Describe 'A paid call that may have been charged' {
    BeforeEach {
        Reset-TestEmulator
    }

    It 'finishes by itself when the server recovers within the retry budget' {
        # The issue's repro: the response is lost after the commit, then four 500s; five attempts used to end it.
        Add-TestFault -Route create -Kind drop_after_commit -Count 1
        Add-TestFault -Route create -Kind error_500 -Count 4

        $created = New-AurousCharacter -Name 'Ambiguous' -Confirm:$false -ErrorAction Stop

        $created.LastResponse.Attempts | Should -Be 6
        $created.LastResponse.Replayed | Should -BeTrue
        $ledger = Get-TestLedger
        $ledger.charges | Should -HaveCount 1
        $ledger.charges[0].IdempotencyKey | Should -Be $created.LastResponse.IdempotencyKey
    }

    It 'fails with its key in the message and on the exception, and the same command with that key finishes it' {
        # A 429 whose Retry-After is past the retry budget ends the call at once, after the lost response committed.
        Add-TestFault -Route create -Kind drop_after_commit -Count 1
        Add-TestFault -Route create -Kind rate_limit -Count 1 -RetryAfterSeconds 600

        New-AurousCharacter -Name 'Ambiguous' -Confirm:$false -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $failure | Should -HaveCount 1
        $key = $failure[0].Exception.IdempotencyKey
        $charge = @((Get-TestLedger).charges)
        $charge | Should -HaveCount 1
        $key | Should -Be $charge[0].IdempotencyKey
        $failure[0].Exception.OutcomeUnknown | Should -BeTrue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'RateLimitExceeded,*'
        $failure[0].ToString() | Should -BeLike "*It may have been charged; its idempotency key is '$key'*"
        $failure[0].ToString() | Should -BeLike "*Run the same command with -IdempotencyKey '$key' to finish it."

        $finished = New-AurousCharacter -Name 'Ambiguous' -IdempotencyKey $key -Confirm:$false -ErrorAction Stop

        $finished.Id | Should -Be $charge[0].CharacterId
        $finished.LastResponse.Replayed | Should -BeTrue
        @((Get-TestLedger).charges) | Should -HaveCount 1
    }

    It 'that was refused names its key but offers no command, since nothing was charged' {
        Set-TestCredits -Credits 3

        New-AurousCharacter -Name 'Broke' -IdempotencyKey 'row-broke' -Confirm:$false -ErrorVariable failure -ErrorAction SilentlyContinue

        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InsufficientCredits,*'
        $failure[0].Exception.IdempotencyKey | Should -Be 'row-broke'
        $failure[0].Exception.OutcomeUnknown | Should -BeFalse
        $failure[0].ToString() | Should -BeLike "*This call charged nothing (idempotency key 'row-broke')*"
        $failure[0].ToString() | Should -Not -BeLike '*Run the same command*'
    }
}

Describe 'Several poses in one command' {
    BeforeEach {
        Reset-TestEmulator
        $script:Id = (New-TestCharacter 'Poses' -Complete).Id
        # The first regeneration is committed, its answer lost, and the retry refused past the retry budget.
        Add-TestFault -Route regenerate -Kind drop_after_commit -Count 1
        Add-TestFault -Route regenerate -Kind rate_limit -Count 1 -RetryAfterSeconds 600
    }

    It 'with generated keys name the one pose to finish, since the whole command again would pay again' {
        Invoke-AurousResynthesis -Id $Id -Pose Front, Side -Confirm:$false -ErrorVariable failure -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        $key = $failure[0].Exception.IdempotencyKey
        $failure[0].ToString() | Should -BeLike "*Run Invoke-AurousResynthesis -Id $Id -Pose Front -IdempotencyKey '$key' to finish this pose."
        Clear-TestFault
        $finished = Invoke-AurousResynthesis -Id $Id -Pose Front -IdempotencyKey $key -Confirm:$false -ErrorAction Stop

        $finished.LastResponse.Replayed | Should -BeTrue
        @((Get-TestLedger).charges | Where-Object route -EQ 'regenerate') | Should -HaveCount 1
    }

    It 'with the user''s key say to run the same command again, each pose''s key deriving from it anew' {
        Invoke-AurousResynthesis -Id $Id -Pose Front, Side -IdempotencyKey 'poses-run-1' -Confirm:$false -ErrorVariable failure -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        $failure[0].Exception.IdempotencyKey | Should -Be 'poses-run-1-front'
        $failure[0].ToString() | Should -BeLike "*Run the same command with -IdempotencyKey 'poses-run-1' to finish it: the poses already regenerated replay at no charge."
        Clear-TestFault
        Complete-TestCharacter $Id
        Invoke-AurousResynthesis -Id $Id -Pose Front, Side -IdempotencyKey 'poses-run-1' -Confirm:$false -ErrorAction Stop | Out-Null

        $charges = @((Get-TestLedger).charges | Where-Object route -EQ 'regenerate')
        $charges.IdempotencyKey | Should -Be @('poses-run-1-front', 'poses-run-1-side')
    }
}

Describe 'An import that keeps a key per row' {
    BeforeEach {
        Reset-TestEmulator
        $script:Csv = Join-Path $TestDrive 'characters.csv'
    }

    It 'is safe to run again as a whole: the failed row is finished and the others replay' {
        @(
            [pscustomobject]@{ Name = 'Row One'; IdempotencyKey = 'import-2026-11-24-row-1' }
            [pscustomobject]@{ Name = 'Row Two'; IdempotencyKey = 'import-2026-11-24-row-2' }
            [pscustomobject]@{ Name = 'Row Three'; IdempotencyKey = 'import-2026-11-24-row-3' }
        ) | Export-Csv -Path $Csv
        Add-TestFault -Route create -Kind drop_after_commit -Count 1
        Add-TestFault -Route create -Kind rate_limit -Count 1 -RetryAfterSeconds 600

        $first = Import-Csv $Csv | New-AurousCharacter -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue

        $first.Name | Should -Be @('Row Two', 'Row Three')
        $failures | Should -HaveCount 1
        $failures[0].Exception.IdempotencyKey | Should -Be 'import-2026-11-24-row-1'
        @((Get-TestLedger).charges) | Should -HaveCount 3 -Because 'the failed row was charged before its response was lost'

        Clear-TestFault
        $second = Import-Csv $Csv | New-AurousCharacter -Confirm:$false -ErrorAction Stop

        $second.Name | Should -Be @('Row One', 'Row Two', 'Row Three')
        $second | ForEach-Object { $_.LastResponse.Replayed } | Should -Be @($true, $true, $true)
        $charges = @((Get-TestLedger).charges)
        $charges | Should -HaveCount 3
        ($charges.IdempotencyKey | Sort-Object) | Should -Be @('import-2026-11-24-row-1', 'import-2026-11-24-row-2', 'import-2026-11-24-row-3')
        ($charges.CharacterId | Sort-Object) | Should -Be ($second.Id | Sort-Object)
    }

    It 'binds a key per row for resynthesis too, so a re-run charges nothing more' {
        $ids = (New-TestCharacter 'Resynth 1', 'Resynth 2' -Complete).Id
        @(
            [pscustomobject]@{ Id = $ids[0]; IdempotencyKey = "resynth-$($ids[0])" }
            [pscustomobject]@{ Id = $ids[1]; IdempotencyKey = "resynth-$($ids[1])" }
        ) | Export-Csv -Path $Csv

        $first = Import-Csv $Csv | Invoke-AurousResynthesis -Confirm:$false -ErrorAction Stop
        $ids | Complete-TestCharacter
        $second = Import-Csv $Csv | Invoke-AurousResynthesis -Confirm:$false -ErrorAction Stop

        $first | ForEach-Object { $_.LastResponse.Replayed } | Should -Be @($false, $false)
        $second | ForEach-Object { $_.LastResponse.Replayed } | Should -Be @($true, $true)
        $resyntheses = @((Get-TestLedger).charges | Where-Object route -EQ 'resynthesize')
        $resyntheses | Should -HaveCount 2
        ($resyntheses.IdempotencyKey | Sort-Object) | Should -Be (@("resynth-$($ids[0])", "resynth-$($ids[1])") | Sort-Object)
    }

    It 'generates a fresh key for a row without one, not the key bound from the row before' {
        $created = @(
            [pscustomobject]@{ Name = 'Keyed'; IdempotencyKey = 'import-keyed-row' }
            [pscustomobject]@{ Name = 'Unkeyed' }
        ) | New-AurousCharacter -Confirm:$false -ErrorAction Stop

        $created.Name | Should -Be @('Keyed', 'Unkeyed')
        $created[0].LastResponse.IdempotencyKey | Should -Be 'import-keyed-row'
        $created[1].LastResponse.IdempotencyKey | Should -Not -Be 'import-keyed-row'
        @((Get-TestLedger).charges) | Should -HaveCount 2
    }
}
