#Requires -Version 7.0
<#
    Ops scripts as people write them: one Connect-Aurous for every runspace, CSV files piped into New and Set, what the
    default view shows and what Select-Object, Export-Csv and ConvertTo-Json give, and the rough edges of Connect,
    Get-AurousContext, Remove and Invoke-AurousResynthesis. Each test creates its own characters and finishes them
    through the emulator's control surface, so no outcome depends on timing.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-TestSession

    # A CSV file as a spreadsheet exports it; the rows are written as given, header first.
    function script:New-CsvFile([string[]] $Line) {
        $path = Join-Path $TestDrive "$([guid]::NewGuid().ToString('n')).csv"
        Set-Content -Path $path -Value $Line
        $path
    }
}

AfterAll { Stop-TestSession }

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
        $failures[0].TargetObject.Id | Should -Be $second.Id -Because 'the error points at the row'
        (Read-TestCharacter $second.Id).updated_at | Should -Be $untouched
    }

    It 'refuses an Age out of range in one row before any request for it' {
        $character = New-TestCharacter 'Too old' -Complete
        $csv = New-CsvFile 'Id,Age', "$($character.Id),250"

        Import-Csv $csv | Set-AurousCharacter -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidAttributeValue,*'
        $failures[0].ToString() | Should -Be "Character $($character.Id): Age must be a whole number from 0 to 200; got 250."
        (Read-TestCharacter $character.Id).attributes.age | Should -Be 28
    }

    It 'renames a piped character without rewriting its attributes' {
        $character = New-TestCharacter 'Old name' -Complete

        $output = $character | Set-AurousCharacter -Name 'New name' -PassThru -Verbose 4>&1

        $requests = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^[A-Z]+ /v1/' })
        $requests.Message | Should -Match '^PATCH '
        $requests | Should -HaveCount 1
        ($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Name | Should -Be 'New name'
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

Describe 'New-AurousCharacter from a CSV file' {
    It 'binds <Header> columns, Age from the text "28" included' -TestCases @(
        @{ Header = 'Name,HairColor,Age' }
        @{ Header = 'name,hair_color,age' }
    ) {
        param($Header)
        $csv = New-CsvFile $Header, 'Csv Aurora,black,28', 'Csv Nova,silver,35'

        $created = Import-Csv $csv | New-AurousCharacter -Confirm:$false

        $created.Name | Should -Be @('Csv Aurora', 'Csv Nova')
        $stored = $created | ForEach-Object { (Read-TestCharacter $_.Id).attributes }
        $stored.hair_color | Should -Be @('black', 'silver')
        $stored.age | Should -Be @(28, 35)
    }

    It 'merges the columns into -Attributes, the columns winning, and leaves blank cells unset' {
        $csv = New-CsvFile 'Name,HairColor,EyeColor,Notes', 'Templated,red,,not an attribute'

        $created = Import-Csv $csv | New-AurousCharacter -Attributes @{ hair_color = 'brown'; body_type = 'athletic' } -Confirm:$false

        $stored = (Read-TestCharacter $created.Id).attributes
        $stored.hair_color | Should -Be 'red'
        $stored.body_type | Should -Be 'athletic'
        $stored.eye_color | Should -BeNullOrEmpty
    }

    It 'names the fields each row sets under -WhatIf and spends nothing' {
        $csv = New-CsvFile 'Name,HairColor,Age', 'Dry run,black,28', 'Bare,,'
        $before = Get-TestLedger

        $printed = Invoke-TestPwsh "Import-Csv '$csv' | New-AurousCharacter -WhatIf"

        $printed | Should -Match "Create character 'Dry run' with age, hair_color \(4 credits\)"
        $printed | Should -Match "Create character 'Bare' \(4 credits\)"
        (Get-TestLedger).credits | Should -Be $before.credits
    }

    It 'refuses an Age that is not a number in one row and creates the others' {
        $csv = New-CsvFile 'Name,Age', 'Bad age,twenty', 'Good age,20'
        # A compiled cmdlet leaves a cell it cannot convert unbound, without a word: the character would lose its age.
        $before = Get-TestLedger

        $created = Import-Csv $csv | New-AurousCharacter -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue

        $created.Name | Should -Be 'Good age'
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidAttributeValue,*'
        "$($failures[0])" | Should -Be "New character 'Bad age': Age must be a whole number from 0 to 200; got 'twenty'."
        (Get-TestLedger).credits | Should -Be ($before.credits - 4)
    }
}

Describe 'What the default view shows is what a script gets' {
    BeforeAll {
        $script:Aurora = New-TestCharacter 'Aurora' -Complete | ForEach-Object { Get-AurousCharacter -Id $_.Id }
    }

    It 'shows the whole id at 80 columns, in columns that are all properties' {
        $lines = ($Aurora | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() }

        $lines[0] -split '\s+' | Where-Object { $_ } | ForEach-Object { $Aurora.PSObject.Properties[$_] | Should -Not -BeNullOrEmpty -Because "column $_ must be a property" }
        $lines[2] | Should -Match ("^{0} " -f [regex]::Escape($Aurora.Id))
        $Aurora.Id.Length | Should -Be 31
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
    }

    It 'opens no gap in a wide console: the name ends the row, whole' {
        $long = New-TestCharacter ('A long name ' * 6).Trim() | ForEach-Object { Get-AurousCharacter -Id $_.Id }

        $lines = (@($Aurora, $long) | Out-String -Width 200) -split "`r?`n" | Where-Object { $_.Trim() }

        ($lines[0] -split '\s+' | Where-Object { $_ }) | Should -Be 'Id', 'Status', 'UpdatedAt', 'Name'
        $lines[2] | Should -Match "^$([regex]::Escape($Aurora.Id)) Reviewing +\S+ \S+ Aurora$"
        $lines[3] | Should -BeLike "* $($long.Name)"
        $lines[2].Length | Should -Be (31 + 1 + 12 + 1 + 16 + 1 + 'Aurora'.Length)
    }

    It 'has Poses as a property, in the casing -Pose completes and -WhatIf prints' {
        $line = 'Invoke-AurousResynthesis -Id x -Pose '
        $completed = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $whatIf = Invoke-TestPwsh "Invoke-AurousResynthesis -Id '$($Aurora.Id)' -Pose side -WhatIf"

        ($Aurora | Select-Object Poses).Poses | Should -BeExactly @('Portrait', 'Front', 'Side', 'Back')
        $Aurora.Refs.Pose | Should -BeExactly @('Portrait', 'Front', 'Side', 'Back')
        $completed | Should -BeExactly @('Portrait', 'Front', 'Side', 'Back', 'Other')
        $whatIf | Should -MatchExactly 'Regenerate the Side pose'
        $Aurora | Format-List | Out-String | Should -MatchExactly 'Poses\s+: \{Portrait, Front, Side, Back\}'
    }

    It 'exports to CSV as words, never type names' {
        $path = Join-Path $TestDrive 'characters.csv'

        $Aurora | Export-Csv -Path $path
        $row = Import-Csv -Path $path
        $text = Get-Content -Raw -Path $path

        $text | Should -Not -Match 'System\.|Aurous\.Client\.'
        $row.Status | Should -Be 'Reviewing'
        $row.Poses | Should -Be 'Portrait, Front, Side, Back'
        $row.Attributes | Should -Match 'HairColor=black'
        $row.Refs | Should -Match '^Portrait: http'
        $row.Refs | Should -Match 'token=\*\*\*'
        $row.Refs | Should -Not -Match 'token=[^*]'
        $row.LastResponse | Should -Match '^HTTP 200, request req_'
    }

    It 'converts to JSON with the status and poses as names' {
        $json = $Aurora | ConvertTo-Json
        $back = $json | ConvertFrom-Json

        $back.Status | Should -BeExactly 'Reviewing'
        $back.Poses | Should -BeExactly @('Portrait', 'Front', 'Side', 'Back')
        $back.Refs.Pose | Should -BeExactly @('Portrait', 'Front', 'Side', 'Back')
        $back.Attributes.HairColor | Should -Be 'black'
        $back.Attributes.PSObject.Properties.Name | Should -Not -Contain 'AdditionalFields'
        $json | Should -Not -Match '"Status":\s*\d'
    }

    It 'filters by status as a word, in any case' {
        $Aurora.Status | Should -BeOfType [string]
        @($Aurora) | Where-Object Status -eq 'reviewing' | Should -HaveCount 1
        @($Aurora) | Where-Object Status -in 'Ready', 'Reviewing' | Should -HaveCount 1
    }
}

Describe 'Rough edges' {
    It 'names a piped character in the Remove prompt, and No deletes nothing' {
        $character = New-TestCharacter 'Named in the prompt'

        $printed = Invoke-TestPwsh "Get-AurousCharacter -Id '$($character.Id)' | Remove-AurousCharacter" -InputLine 'n'

        $printed | Should -Match ([regex]::Escape("$($character.Id) (Named in the prompt)"))
        $printed | Should -Match 'Delete'
        (Read-TestCharacter $character.Id).status | Should -Be 'synthesizing'
    }

    It 'offers only the attribute fields when completing -Attributes @{ on <Command>' -TestCases @(
        @{ Command = 'New-AurousCharacter -Name x' }
        @{ Command = 'Set-AurousCharacter -Id x' }
    ) {
        param($Command)
        $line = "$Command -Attributes @{"

        $offered = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText

        $offered | Sort-Object | Should -Be @('AdditionalDetails', 'Age', 'BodyType', 'Ethnicity', 'EyeColor', 'Gender', 'HairColor', 'HairStyle')
    }

    It 'regenerates several poses one after another, each a paid call with its own key, and shows the total under -WhatIf' {
        $character = New-TestCharacter 'Two poses' -Complete
        $whatIf = Invoke-TestPwsh "Invoke-AurousResynthesis -Id '$($character.Id)' -Pose side,front -WhatIf"
        $before = Get-TestLedger
        $key = "nightly-$([guid]::NewGuid().ToString('n'))"

        # A synthesizing character refuses a second regeneration: the cmdlet waits, and the test ends the first one.
        $id = $character.Id
        $manifest = Get-TestModuleManifest
        $job = Start-ThreadJob -ScriptBlock {
            Import-Module $using:manifest
            Invoke-AurousResynthesis -Id $using:id -Pose Side, Front -IdempotencyKey $using:key -Confirm:$false
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (@((Get-TestLedger).charges | Where-Object { $_.route -eq 'regenerate' -and $_.CharacterId -eq $character.Id }).Count -lt 1) {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'The first regeneration never came.' }
            Start-Sleep -Milliseconds 100
        }
        Complete-TestCharacter $character.Id
        $result = $job | Wait-Job -Timeout 60 | Receive-Job
        $job | Remove-Job -Force

        $whatIf | Should -Match 'Regenerate the Side and Front poses, one after another \(2 credits\)'
        $result.Status | Should -Be 'Synthesizing'
        $charges = @((Get-TestLedger).charges | Where-Object { $_.route -eq 'regenerate' -and $_.CharacterId -eq $character.Id })
        $charges | Should -HaveCount 2
        $charges.IdempotencyKey | Should -Be @("$key-side", "$key-front")
        (Get-TestLedger).credits | Should -Be ($before.credits - 2)
    }
}
