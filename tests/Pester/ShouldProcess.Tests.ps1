#Requires -Version 7.0
<#
    What paid and destructive calls cost and ask: -WhatIf sends nothing, -Confirm prompts with the cost (answered
    through a real console's standard input), idempotency keys replay instead of charging twice, and a team out of
    credits gets a quota error. Every assertion reads the emulator's ledger.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-TestSession
}

AfterAll { Stop-TestSession }

Describe 'Invoke-AurousResynthesis' {
    It '-WhatIf names the character and the cost and spends nothing' {
        $id = (New-TestCharacter 'Aurora' -Complete).Id
        $before = Get-TestLedger

        $printed = Invoke-TestPwsh "Get-AurousCharacter -Id '$id' | Invoke-AurousResynthesis -WhatIf"

        $printed | Should -Match ([regex]::Escape("What if: Performing the operation `"Resynthesize all 4 poses (4 credits)`" on target `"$id (Aurora)`""))
        (Get-TestLedger).credits | Should -Be $before.credits
        @((Get-TestLedger).charges).Count | Should -Be @($before.charges).Count
        (Read-TestCharacter $id).status | Should -Be 'reviewing'
    }

    It '-Confirm:$false spends exactly 4 credits and emits the synthesizing character' {
        $id = (New-TestCharacter 'Paid' -Complete).Id
        $before = Get-TestLedger

        $character = Invoke-AurousResynthesis -Id $id -Force -Confirm:$false

        "$($character.Status)" | Should -Be 'Synthesizing'
        (Get-TestLedger).credits | Should -Be ($before.credits - 4)
        $charge = @((Get-TestLedger).charges)[-1]
        $charge.route | Should -Be 'resynthesize'
        $charge.CharacterId | Should -Be $id
        $charge.generations | Should -Be 4
    }

    It '-Pose regenerates one pose for one credit' {
        $id = (New-TestCharacter 'One pose' -Complete).Id
        $before = Get-TestLedger

        $null = Invoke-AurousResynthesis -Id $id -Pose front -Confirm:$false

        (Get-TestLedger).credits | Should -Be ($before.credits - 1)
        @((Get-TestLedger).charges)[-1].route | Should -Be 'regenerate'
    }

    It '-Confirm prompts with the cost, and answering No sends nothing' {
        $id = (New-TestCharacter 'Asked' -Complete).Id
        $before = Get-TestLedger

        $printed = Invoke-TestPwsh "Invoke-AurousResynthesis -Id '$id' -Pose side -Confirm" -InputLine 'n'

        $printed | Should -Match 'Regenerate the Side pose \(1 credit\)'
        $printed | Should -Match ([regex]::Escape($id))
        (Get-TestLedger).credits | Should -Be $before.credits
        @((Get-TestLedger).charges).Count | Should -Be @($before.charges).Count
    }

    It 'replays instead of charging twice when an idempotency key is reused' {
        $id = (New-TestCharacter 'Replayed' -Complete).Id
        $before = Get-TestLedger
        $key = [guid]::NewGuid().ToString()

        $first = Invoke-AurousResynthesis -Id $id -IdempotencyKey $key -Confirm:$false
        $second = Invoke-AurousResynthesis -Id $id -IdempotencyKey $key -Confirm:$false

        $first.Id | Should -Be $id
        $second.LastResponse.Replayed | Should -BeTrue
        (Get-TestLedger).credits | Should -Be ($before.credits - 4)
    }

    It 'is a quota error naming the character when the team has too few credits' {
        $id = (New-TestCharacter 'Broke' -Complete).Id
        Set-TestCredits 3
        try {
            Invoke-AurousResynthesis -Id $id -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'InsufficientCredits,*'
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'QuotaExceeded'
            $failures[0].TargetObject | Should -Be $id
            (Get-TestLedger).credits | Should -Be 3
        }
        finally {
            Set-TestCredits 1000
        }
    }
}

Describe 'New-AurousCharacter' {
    It 'creates nothing with -WhatIf and spends 4 credits when it creates' {
        $before = Get-TestLedger

        $printed = Invoke-TestPwsh "New-AurousCharacter -Name 'Nova' -Attributes @{ hair_color = 'silver' } -WhatIf"
        (Get-TestLedger).credits | Should -Be $before.credits
        $printed | Should -Match 'What if:.*Nova'

        $created = New-AurousCharacter -Name 'Nova' -Attributes @{ HairColor = 'silver' } -Confirm:$false

        (Read-TestCharacter $created.Id).attributes.hair_color | Should -Be 'silver'
        (Get-TestLedger).credits | Should -Be ($before.credits - 4)
    }

    It 'chains into Wait-AurousCharacter and Save-AurousCharacter' {
        $created = New-AurousCharacter -Name 'Vega' -Attributes @{ hair_color = 'silver' } -Confirm:$false
        Complete-TestCharacter $created.Id

        $ready = $created | Wait-AurousCharacter -PollIntervalSec 0.1 | Save-AurousCharacter -PassThru

        "$($ready.Status)" | Should -Be 'Ready'
        $ready.Attributes.HairColor | Should -Be 'silver'
        (Read-TestCharacter $created.Id).status | Should -Be 'ready'
    }
}

Describe 'Save-AurousCharacter' {
    It '-WhatIf names a piped character and saves nothing' {
        $id = (New-TestCharacter 'Publishable' -Complete).Id

        $printed = Invoke-TestPwsh "Get-AurousCharacter -Id '$id' | Save-AurousCharacter -WhatIf"

        $printed | Should -Match ([regex]::Escape("on target `"$id (Publishable)`""))
        (Read-TestCharacter $id).status | Should -Be 'reviewing'
    }
}

Describe 'Remove-AurousCharacter' {
    It 'asks first, and deletes only when confirmed' {
        $id = (New-TestCharacter 'Doomed').Id

        $printed = Invoke-TestPwsh "Remove-AurousCharacter -Id '$id'" -InputLine 'n'
        $printed | Should -Match ([regex]::Escape($id))
        (Read-TestCharacter $id).status | Should -Be 'synthesizing'

        Remove-AurousCharacter -Id $id -Confirm:$false
        Get-AurousCharacter -Id $id -ErrorVariable failures -ErrorAction SilentlyContinue

        (Read-TestCharacter $id).status | Should -Be 'deleted'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CharacterNotFound,*'
    }
}
