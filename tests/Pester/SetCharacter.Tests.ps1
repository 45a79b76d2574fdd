#Requires -Version 7.0
<#
    Set-AurousCharacter: per-field changes keep the other attributes (the module merges; the API replaces), -Attributes
    replaces the whole object as the API does, and bad input is refused before any request reaches the emulator.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-TestSession
}

AfterAll { Stop-TestSession }

Describe 'Set-AurousCharacter' {
    It 'changes only the named fields with the per-field parameters' {
        $id = (New-TestCharacter 'Merged' -Complete).Id

        Set-AurousCharacter -Id $id -HairColor red

        $attributes = (Read-TestCharacter $id).attributes
        $attributes.hair_color | Should -Be 'red'
        $attributes.eye_color | Should -Be 'brown'
    }

    It 'replaces the whole attribute object with -Attributes' {
        $id = (New-TestCharacter 'Replaced' -Complete).Id

        Set-AurousCharacter -Id $id -Attributes @{ hair_color = 'blue' }

        $attributes = (Read-TestCharacter $id).attributes
        $attributes.hair_color | Should -Be 'blue'
        $attributes.eye_color | Should -BeNullOrEmpty
    }

    It 'renames a piped character and keeps its attributes' {
        $id = (New-TestCharacter 'Before' -Complete).Id

        $renamed = Get-AurousCharacter -Id $id | Set-AurousCharacter -Name 'After' -PassThru

        $renamed.Name | Should -Be 'After'
        (Read-TestCharacter $id).name | Should -Be 'After'
        (Read-TestCharacter $id).attributes.hair_color | Should -Be 'black'
    }

    It '-WhatIf changes nothing, and only -Attributes says the object is replaced' {
        $id = (New-TestCharacter 'Hypothetical' -Complete).Id
        $before = Get-TestCharacterState $id

        $perField = Invoke-TestPwsh "Set-AurousCharacter -Id '$id' -HairColor red -WhatIf"
        $replace = Invoke-TestPwsh "Set-AurousCharacter -Id '$id' -Attributes @{ hair_color = 'red' } -WhatIf"

        Get-TestCharacterState $id | Should -Be $before
        $perField | Should -Match 'What if:.*hair_color \(other attributes kept\)'
        $perField | Should -Not -Match 'replaces the whole object'
        $replace | Should -Match 'What if:.*replaces the whole object'
        $perField, $replace | Should -Match ([regex]::Escape($id))
    }

    It 'refuses <Case> before any request' -TestCases @(
        @{ Case = 'a name over 80 characters'; ErrorId = 'InvalidCharacterName,'; Script = { param($Id) Set-AurousCharacter -Id $Id -Name ('x' * 81) } }
        @{ Case = 'an empty name'; ErrorId = 'InvalidCharacterName,'; Script = { param($Id) Set-AurousCharacter -Id $Id -Name '' } }
        @{ Case = 'unknown attribute keys'; ErrorId = 'UnknownAttribute,'; Script = { param($Id) Set-AurousCharacter -Id $Id -Attributes @{ hair_colour = 'red'; eye = 'blue' } } }
        @{ Case = '-Attributes with a per-field parameter'; ErrorId = 'AmbiguousParameterSet'; Script = { param($Id) Set-AurousCharacter -Id $Id -Attributes @{ hair_color = 'red' } -EyeColor blue } }
        @{ Case = 'nothing to change'; ErrorId = 'EmptyUpdate'; Script = { param($Id) Set-AurousCharacter -Id $Id } }
    ) {
        param($Case, $ErrorId, $Script)
        $id = (New-TestCharacter 'Untouched' -Complete).Id
        $before = Get-TestCharacterState $id

        $failure = $null
        try { & $Script $id -ErrorAction Stop } catch { $failure = $_ }

        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike "$ErrorId*"
        Get-TestCharacterState $id | Should -Be $before
    }

    It 'names the unknown attribute key in the error' {
        $id = (New-TestCharacter 'Named' -Complete).Id

        { Set-AurousCharacter -Id $id -Attributes @{ hair_colour = 'red' } } | Should -Throw -ExpectedMessage '*hair_colour*'
    }
}
