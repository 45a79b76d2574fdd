#Requires -Version 7.0
<#
    Issue 11, the complete character surface, in real pwsh against this file's emulator: listing with
    Get-AurousCharacter (paging, filters, completion), Save-AurousCharacterRef (files, skips, atomic writes, expired
    URLs, progress) and Invoke-AurousRequest (any route through the module's pipeline).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-TestSession

    function script:New-RefFolder {
        $path = Join-Path ([System.IO.Path]::GetTempPath()) "aurous-refs-$([guid]::NewGuid().ToString('n'))"
        $script:Folders += @($path)
        $path
    }

    # Everything a command wrote on every stream, as one string, for "never shows" checks.
    function script:Get-AllOutput([scriptblock] $Script) {
        & {
            $DebugPreference = 'Continue'
            $VerbosePreference = 'Continue'
            & $Script
        } *>&1 | Out-String -Width 500
    }

    $script:Folders = @()
    $script:PngSignature = [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
}

AfterAll {
    $script:Folders | Where-Object { Test-Path $_ } | Remove-Item -Recurse -Force
    Stop-TestSession
}

Describe 'Get-AurousCharacter with no -Id lists the team''s characters' {
    BeforeEach { Reset-TestEmulator }

    It 'returns the characters just made, newest first' {
        $made = New-TestCharacter 'List 1', 'List 2', 'List 3' -Complete

        $listed = Get-AurousCharacter

        $listed.Id | Should -Be @($made[2].Id, $made[1].Id, $made[0].Id)
        $listed[0].PSTypeNames | Should -Contain 'Aurous.Client.Character'
        $listed[0].Refs | Should -HaveCount 4
    }

    It 'pages by itself past 100 characters' {
        $ids = foreach ($i in 1..103) {
            $body = @{ name = "Bulk $i" } | ConvertTo-Json
            (Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUri)v1/characters" -Headers @{ 'X-Api-Key' = $TeamAKey } -Body $body -ContentType 'application/json').id
        }

        $verbose = $null
        $listed = Get-AurousCharacter -Verbose 4>&1 | Tee-Object -Variable all | Where-Object { $_.PSTypeNames -contains 'Aurous.Client.Character' }
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $listed | Should -HaveCount 103
        @($listed.Id | Select-Object -Unique) | Should -HaveCount 103
        ($listed.Id | Sort-Object) | Should -Be ($ids | Sort-Object)
        $verbose | Where-Object { $_ -like 'GET /v1/characters?limit=100 -> 200*' } | Should -HaveCount 1
        $verbose | Where-Object { $_ -like "GET /v1/characters?limit=100&starting_after=$($listed[99].Id) -> 200*" } | Should -HaveCount 1
    }

    It '-Status Ready returns only the ready ones, and several states combine' {
        $made = New-TestCharacter 'Ready 1', 'Reviewing 1', 'Ready 2', 'Failing 1'
        Complete-TestCharacter $made[0].Id
        Complete-TestCharacter $made[1].Id
        Complete-TestCharacter $made[2].Id
        Complete-TestCharacter $made[3].Id -Outcome failed -ErrorMessage 'no'
        Save-AurousCharacter -Id $made[0].Id, $made[2].Id

        $ready = Get-AurousCharacter -Status Ready
        $either = Get-AurousCharacter -Status Reviewing, Failed

        $ready.Id | Should -Be @($made[2].Id, $made[0].Id)
        $ready | ForEach-Object { "$($_.Status)" } | Should -Be @('Ready', 'Ready')
        ($either.Id | Sort-Object) | Should -Be (@($made[1].Id, $made[3].Id) | Sort-Object)
    }

    It '-Status refuses a state that is never listed, before any request' {
        { Get-AurousCharacter -Status Deleted } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Aurous.PowerShell.Commands.GetAurousCharacterCommand'
    }

    It '-Name takes wildcards, case-insensitively, and several patterns' {
        $made = New-TestCharacter 'Aurora', 'aurelia', 'Nova', 'Vega'

        (Get-AurousCharacter -Name 'AUR*').Id | Should -Be @($made[1].Id, $made[0].Id)
        (Get-AurousCharacter -Name 'nova', '*ga').Id | Should -Be @($made[3].Id, $made[2].Id)
        Get-AurousCharacter -Name 'Nobody*' | Should -BeNullOrEmpty
    }

    It '-First and -Skip page through the list, and -First asks for no more than it needs' {
        $made = New-TestCharacter 'P1', 'P2', 'P3', 'P4', 'P5'
        $newestFirst = @($made.Id)
        [array]::Reverse($newestFirst)

        $first = Get-AurousCharacter -First 2 -Verbose 4>&1
        $skipped = Get-AurousCharacter -Skip 3
        $middle = Get-AurousCharacter -Skip 1 -First 2

        @($first | Where-Object { $_.PSTypeNames -contains 'Aurous.Client.Character' }).Id | Should -Be $newestFirst[0..1]
        @($first | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -BeLike 'GET /v1/characters?limit=2 -> 200*'
        $skipped.Id | Should -Be $newestFirst[3..4]
        $middle.Id | Should -Be $newestFirst[1..2]
    }

    It '-IncludeTotalCount reports how many match' {
        $null = New-TestCharacter 'T1', 'T2', 'T3'

        $output = Get-AurousCharacter -First 1 -IncludeTotalCount

        $output | Should -HaveCount 2
        $output[-1].ToString() | Should -Be 'Total count: 3'
    }

    It 'leaves deleted characters out and shows no other team''s' {
        $made = New-TestCharacter 'Kept', 'Deleted'
        Remove-AurousCharacter -Id $made[1].Id -Confirm:$false
        $body = @{ name = 'Team B' } | ConvertTo-Json
        $null = Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUri)v1/characters" -Headers @{ 'X-Api-Key' = $TeamBKey } -Body $body -ContentType 'application/json'

        (Get-AurousCharacter).Id | Should -Be @($made[0].Id)
    }

    It 'lists nothing downstream of a pipeline that sent nothing' {
        $null = New-TestCharacter 'Never listed'

        $output = @() | Get-AurousCharacter -Verbose 4>&1

        $output | Should -BeNullOrEmpty
    }

    It 'still reads ids from the pipeline and by property name' {
        $made = New-TestCharacter 'Piped'

        ($made.Id | Get-AurousCharacter).Id | Should -Be $made.Id
        ([pscustomobject]@{ CharacterId = $made.Id } | Get-AurousCharacter).Id | Should -Be $made.Id
    }

    It 'a failing list is one error with the request id' {
        Add-TestFault -Route list -Kind error_500 -Count 10

        $listed = Get-AurousCharacter -ErrorVariable failures -ErrorAction SilentlyContinue

        Clear-TestFault
        $listed | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ServerError,*'
        "$failures" | Should -Match 'request id req_'
    }
}

Describe '-Id completion' {
    BeforeAll {
        Reset-TestEmulator
        $script:Completed = New-TestCharacter 'Aurora Completed', 'Nova Completed' -Complete
    }

    It 'a new session completes ids and names from the list' {
        $output = Invoke-TestPwsh -Script @'
$ids = (TabExpansion2 -inputScript 'Get-AurousCharacter -Id ' -cursorColumn 24).CompletionMatches
"ID:{0}|{1}" -f ($ids.CompletionText -join ','), ($ids.ListItemText -join ',')
$byName = (TabExpansion2 -inputScript 'Remove-AurousCharacter -Id aur' -cursorColumn 30).CompletionMatches
"BYNAME:{0}" -f ($byName.CompletionText -join ',')
$names = (TabExpansion2 -inputScript 'Get-AurousCharacter -Name n' -cursorColumn 27).CompletionMatches
"NAMES:{0}" -f ($names.CompletionText -join ',')
'@

        $output | Should -Match ([regex]::Escape("ID:$($Completed[1].Id),$($Completed[0].Id)|$($Completed[1].Id) (Nova Completed),$($Completed[0].Id) (Aurora Completed)"))
        $output | Should -Match ([regex]::Escape("BYNAME:$($Completed[0].Id)") + '\r?\n')
        $output | Should -Match ([regex]::Escape("NAMES:'Nova Completed'"))
    }

    It 'keeps the list briefly, lists again for a new connection, and drops a removed character' {
        $output = Invoke-TestPwsh -Script @"
`$before = (TabExpansion2 -inputScript 'Get-AurousCharacter -Id ' -cursorColumn 24).CompletionMatches.CompletionText
`$late = (Invoke-RestMethod -Method Post -Uri '$($Emulator.BaseUri)v1/characters' -Headers @{ 'X-Api-Key' = '$TeamAKey' } -Body '{"name":"Late"}' -ContentType 'application/json').id
`$cached = (TabExpansion2 -inputScript 'Get-AurousCharacter -Id ' -cursorColumn 24).CompletionMatches.CompletionText
Connect-Aurous -ApiKey (ConvertTo-SecureString '$TeamAKey' -AsPlainText -Force) -BaseUri '$($Emulator.BaseUri)' -RateLimitMultiplier $($Emulator.RateLimitMultiplier)
`$fresh = (TabExpansion2 -inputScript 'Get-AurousCharacter -Id ' -cursorColumn 24).CompletionMatches.CompletionText
Remove-AurousCharacter -Id `$late -Confirm:`$false
`$removed = (TabExpansion2 -inputScript 'Get-AurousCharacter -Id ' -cursorColumn 24).CompletionMatches.CompletionText
"COUNTS:{0},{1},{2},{3}" -f `$before.Count, `$cached.Count, `$fresh.Count, `$removed.Count
"LATE:{0},{1},{2}" -f (`$cached -contains `$late), (`$fresh -contains `$late), (`$removed -contains `$late)
"@

        $output | Should -Match 'COUNTS:2,2,3,2'
        $output | Should -Match 'LATE:False,True,False'
    }

    It 'completes from what the session has seen when there is no connection' {
        $output = Invoke-TestPwsh -NoConnect -Script @'
$matches = (TabExpansion2 -inputScript 'Get-AurousCharacter -Id ' -cursorColumn 24).CompletionMatches
"COUNT:{0}" -f $matches.Count
'@

        $output | Should -Match 'COUNT:0'
        $output | Should -Not -Match 'Exception'
    }
}

Describe 'Save-AurousCharacterRef' {
    BeforeAll { Reset-TestEmulator }

    It 'leaves one PNG per ref, named id-pose.png, and emits the files in pose order' {
        $id = (New-TestCharacter 'Four refs' -Complete).Id
        $dir = New-RefFolder

        $files = Save-AurousCharacterRef -Id $id -Path $dir

        $files | Should -HaveCount 4
        $files | Should -BeOfType ([System.IO.FileInfo])
        $files.Name | Should -Be @("$id-portrait.png", "$id-front.png", "$id-side.png", "$id-back.png")
        (Get-ChildItem -Path $dir -Force).Name | Sort-Object | Should -Be ($files.Name | Sort-Object)
        foreach ($file in $files) {
            [System.IO.File]::ReadAllBytes($file.FullName)[0..7] | Should -Be $PngSignature
        }
    }

    It 'takes piped characters and only the poses asked for, relative to the current location' {
        $made = New-TestCharacter 'Piped A', 'Piped B' -Complete
        $dir = New-RefFolder
        $null = New-Item -ItemType Directory -Path $dir

        Push-Location $dir
        try {
            $files = Get-AurousCharacter -Id $made.Id | Save-AurousCharacterRef -Pose Front, Back -Path refs
        }
        finally {
            Pop-Location
        }

        $files.Name | Should -Be @("$($made[0].Id)-front.png", "$($made[0].Id)-back.png", "$($made[1].Id)-front.png", "$($made[1].Id)-back.png")
        $files[0].DirectoryName | Should -Be (Join-Path $dir 'refs')
    }

    It 'keeps existing files, writing them in their place with a verbose line, and -Force replaces them' {
        $id = (New-TestCharacter 'Existing' -Complete).Id
        $dir = New-RefFolder
        $null = New-Item -ItemType Directory -Path $dir
        Set-Content -Path (Join-Path $dir "$id-front.png") -Value 'mine'

        $first = Save-AurousCharacterRef -Id $id -Path $dir -Verbose 4>&1
        $content = Get-Content -Raw -Path (Join-Path $dir "$id-front.png")
        $forced = Save-AurousCharacterRef -Id $id -Path $dir -Pose Front -Force

        @($first | Where-Object { $_ -is [System.IO.FileInfo] }).Name | Should -Be @("$id-portrait.png", "$id-front.png", "$id-side.png", "$id-back.png")
        @($first | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Where-Object { $_ -like "Skipping the front ref of $id (Existing): *$id-front.png already exists. Use -Force to replace it." } | Should -HaveCount 1
        $content.Trim() | Should -Be 'mine'
        $again = Save-AurousCharacterRef -Id $id -Path $dir
        $again.Name | Should -Be @("$id-portrait.png", "$id-front.png", "$id-side.png", "$id-back.png") -Because 'a re-run writes what the first run did'
        $again.LastWriteTimeUtc | Should -Be @($first | Where-Object { $_ -is [System.IO.FileInfo] }).LastWriteTimeUtc -Because 'nothing was downloaded again'
        $forced.Name | Should -Be "$id-front.png"
        [System.IO.File]::ReadAllBytes($forced.FullName)[0..7] | Should -Be $PngSignature
    }

    It '-WhatIf downloads nothing and creates no folder' {
        $id = (New-TestCharacter 'What if' -Complete).Id
        $dir = New-RefFolder

        $output = Save-AurousCharacterRef -Id $id -Path $dir -WhatIf

        $output | Should -BeNullOrEmpty
        Test-Path $dir | Should -BeFalse
    }

    It 'a pose the character lacks is a RefNotFound error, and the other poses are still saved' {
        $id = (New-TestCharacter 'No other' -Complete).Id
        $dir = New-RefFolder

        $files = Save-AurousCharacterRef -Id $id -Path $dir -Pose Other, Side -ErrorVariable failures -ErrorAction SilentlyContinue

        $files.Name | Should -Be "$id-side.png"
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RefNotFound,*'
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be $id
        "$($failures[0])" | Should -Match "$id \(No other\) has no other ref; it has portrait, front, side, back"
    }

    It 'a character still synthesizing has no refs to save' {
        $character = New-TestCharacter 'Too early'

        $character | Save-AurousCharacterRef -Path (New-RefFolder) -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RefNotFound,*'
        "$($failures[0])" | Should -Match 'no refs yet \(it is synthesizing\)\. Wait for it with Wait-AurousCharacter'
    }

    It 'reads the character again, once, when its ref URLs have expired' {
        $stale = New-TestCharacter 'Stale' -Complete | ForEach-Object { Get-AurousCharacter -Id $_.Id }
        Move-AurousEmulatorClock -Duration (New-TimeSpan -Hours 25) -Emulator $Emulator -Confirm:$false
        $dir = New-RefFolder

        $output = $stale | Save-AurousCharacterRef -Path $dir -Verbose 4>&1

        @($output | Where-Object { $_ -is [System.IO.FileInfo] }) | Should -HaveCount 4
        $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $verbose | Where-Object { $_ -like "GET /v1/characters/$($stale.Id) -> 200*" } | Should -HaveCount 1
        $verbose | Where-Object { $_ -like '*(403 url_expired); reading the character again for fresh ref URLs.' } | Should -HaveCount 4
    }

    It 'a character deleted before the download is an error naming it, and leaves no file at all' {
        $character = New-TestCharacter 'Gone' -Complete | ForEach-Object { Get-AurousCharacter -Id $_.Id }
        Remove-AurousCharacter -Id $character.Id -Confirm:$false
        $dir = New-RefFolder

        $files = $character | Save-AurousCharacterRef -Path $dir -ErrorVariable failures -ErrorAction SilentlyContinue

        $files | Should -BeNullOrEmpty
        $failures | Should -HaveCount 4
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'CharacterNotFound,*' }
        "$($failures[0])" | Should -Match "Could not read $($character.Id) \(Gone\) again"
        @(Get-ChildItem -Path $dir -Force -ErrorAction SilentlyContinue) | Should -HaveCount 0
    }

    It 'never shows the key or a ref URL token in any stream' {
        $id = (New-TestCharacter 'Secret refs' -Complete).Id
        $dir = New-RefFolder

        $all = Get-AllOutput { Save-AurousCharacterRef -Id $id -Path $dir }

        $all | Should -Match 'storage/.*\?\*\*\* -> 200'
        $all | Should -Not -Match ([regex]::Escape($TeamAKey))
        $all | Should -Not -Match 'token=(?!\*\*\*)'
    }

    It 'shows progress over all the files and completes it' {
        $ids = (New-TestCharacter 'Progress 1', 'Progress 2' -Complete).Id
        $dir = New-RefFolder

        $streams = Invoke-InTestRunspace -ScriptBlock { param($Ids, $Dir) Save-AurousCharacterRef -Id $Ids -Path $Dir } -ArgumentList $ids, $dir

        $streams.Output | Should -HaveCount 8
        $streams.Progress | Should -Not -BeNullOrEmpty
        $streams.Progress | ForEach-Object { $_.Activity | Should -Be 'Saving Aurous ref images' }
        $streams.Progress.StatusDescription | Should -Contain '8 of 8 files'
        "$($streams.Progress[-1].RecordType)" | Should -Be 'Completed'
    }

    It 'refuses a -Path that is not a folder on the file system' {
        $id = (New-TestCharacter 'Env path' -Complete).Id

        { Save-AurousCharacterRef -Id $id -Path Env:\ -ErrorAction Stop } | Should -Throw -ErrorId 'RefFileWriteFailed,Aurous.PowerShell.Commands.SaveAurousCharacterRefCommand'
    }
}

Describe 'Invoke-AurousRequest' {
    BeforeAll { Reset-TestEmulator }

    It 'GET returns the character as PowerShell objects' {
        $id = (New-TestCharacter 'Raw read' -Complete).Id

        $character = Invoke-AurousRequest -Method Get -Path "/v1/characters/$id"

        $character.id | Should -Be $id
        $character.name | Should -Be 'Raw read'
        $character.status | Should -Be 'reviewing'
        $character.refs | Should -HaveCount 4
        $character.refs[0].pose | Should -Be 'portrait'
        $character.attributes.age | Should -Be 28
        $character.attributes.age | Should -BeOfType ([long])
    }

    It 'a list answer keeps its shape, and the path may carry a query' {
        $null = New-TestCharacter 'L1', 'L2', 'L3'

        $page = Invoke-AurousRequest GET '/v1/characters?limit=2'

        $page.object | Should -Be 'list'
        $page.data | Should -HaveCount 2
        $page.has_more | Should -BeTrue
    }

    It 'every POST carries an idempotency key, and a given key makes a repeat free' {
        $id = (New-TestCharacter 'Raw paid' -Complete).Id
        $before = @((Get-TestLedger).charges).Count

        $first = Invoke-AurousRequest -Method Post -Path "/v1/characters/$id/resynthesize" -Body @{} -Confirm:$false
        Complete-TestCharacter $id
        $keyed = Invoke-AurousRequest -Method Post -Path "/v1/characters/$id/resynthesize" -Body '{"force_all":true}' -IdempotencyKey "raw-$id" -Confirm:$false
        $again = Invoke-AurousRequest -Method Post -Path "/v1/characters/$id/resynthesize" -Body '{"force_all":true}' -IdempotencyKey "raw-$id" -Confirm:$false

        $first.status | Should -Be 'synthesizing'
        $charges = @((Get-TestLedger).charges)
        $charges.Count | Should -Be ($before + 2)
        [guid]::TryParse($charges[-2].IdempotencyKey, [ref] [guid]::Empty) | Should -BeTrue
        $charges[-1].IdempotencyKey | Should -Be "raw-$id"
        $again.id | Should -Be $keyed.id
    }

    It 'sends a hashtable or a PSCustomObject body as JSON' {
        $id = (New-TestCharacter 'Before').Id

        $renamed = Invoke-AurousRequest -Method Patch -Path "/v1/characters/$id" -Body @{ name = "O'Brien ✓" }
        $changed = Invoke-AurousRequest -Method Patch -Path "/v1/characters/$id" -Body ([pscustomobject]@{ attributes = [pscustomobject]@{ hair_color = 'red'; age = 30 } })

        $renamed.name | Should -Be "O'Brien ✓"
        $changed.attributes.hair_color | Should -Be 'red'
        $changed.attributes.age | Should -Be 30
        (Read-TestCharacter $id).name | Should -Be "O'Brien ✓"
    }

    It 'takes the idempotency key by property name, so a failed call''s error can finish it' {
        $id = (New-TestCharacter 'Raw finish' -Complete).Id
        $key = "finish-$id"

        $character = [pscustomobject]@{ IdempotencyKey = $key } | Invoke-AurousRequest POST "/v1/characters/$id/resynthesize" @{} -Confirm:$false

        $character.status | Should -Be 'synthesizing'
        @((Get-TestLedger).charges)[-1].IdempotencyKey | Should -Be $key
    }

    It '-WhatIf names the route and its cost and sends nothing' {
        $id = (New-TestCharacter 'Raw what if' -Complete).Id
        $before = Get-TestLedger

        $printed = Invoke-TestPwsh -Script "Invoke-AurousRequest -Method Post -Path '/v1/characters/$id/resynthesize' -Body @{} -WhatIf"

        $printed | Should -Match ([regex]::Escape("What if: Performing the operation `"Send POST (resynthesize, 4 credits)`" on target `"/v1/characters/$id/resynthesize`"."))
        (Get-TestLedger).credits | Should -Be $before.credits
        (Read-TestCharacter $id).status | Should -Be 'reviewing'
    }

    It 'API errors are ErrorRecords with the API''s code and the module''s ErrorId' {
        $missing = 'char_01HXMQ7Z3K8Y2NNOSUCHCHARACT'

        Invoke-AurousRequest -Method Get -Path "/v1/characters/$missing" -ErrorVariable character -ErrorAction SilentlyContinue
        Invoke-AurousRequest Get '/v1/images/img_123' -ErrorVariable image -ErrorAction SilentlyContinue
        Invoke-AurousRequest -Method Patch -Path "/v1/characters/$((New-TestCharacter 'Strict').Id)" -Body '{"status":"ready"}' -ErrorVariable invalid -ErrorAction SilentlyContinue

        $character[0].FullyQualifiedErrorId | Should -Be 'CharacterNotFound,Aurous.PowerShell.Commands.InvokeAurousRequestCommand'
        $character[0].Exception.Code | Should -Be 'resource_not_found'
        $character[0].TargetObject | Should -Be "GET /v1/characters/$missing"
        $image[0].FullyQualifiedErrorId | Should -BeLike 'ResourceNotFound,*'
        "$($image[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $invalid[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRequest,*'
        $invalid[0].Exception.Code | Should -Be 'invalid_request'
        $invalid[0].Exception.Param | Should -Be 'status'
        "$($invalid[0])" | Should -Match 'request id req_'
    }

    It 'refuses <Case> before any request' -TestCases @(
        @{ Case = 'a URL on another host'; Arguments = @{ Method = 'Get'; Path = 'https://evil.example/v1/characters' }; ErrorId = 'InvalidRequestPath' }
        @{ Case = 'a body on a GET'; Arguments = @{ Method = 'Get'; Path = '/v1/characters'; Body = @{ a = 1 } }; ErrorId = 'InvalidRequestBody' }
        @{ Case = 'a body that is not JSON'; Arguments = @{ Method = 'Post'; Path = '/v1/characters'; Body = '{name:' }; ErrorId = 'InvalidRequestBody' }
        @{ Case = 'a key on a GET'; Arguments = @{ Method = 'Get'; Path = '/v1/characters'; IdempotencyKey = 'k' }; ErrorId = 'InvalidIdempotencyKey' }
    ) {
        param($Case, $Arguments, $ErrorId)
        $before = Get-TestLedger

        $all = Get-AllOutput { Invoke-AurousRequest @Arguments -ErrorVariable failures -ErrorAction SilentlyContinue; $failures | ForEach-Object FullyQualifiedErrorId }

        $all | Should -Match "$ErrorId,Aurous.PowerShell.Commands.InvokeAurousRequestCommand"
        $all | Should -Not -Match '-> \d{3}'
        (Get-TestLedger).credits | Should -Be $before.credits
    }

    It 'an unknown route is paced by a bucket of its own' {
        $verbose = Invoke-AurousRequest -Method Post -Path '/v1/images/estimate' -Body @{ prompt = 'x' } -Confirm:$false -Verbose -ErrorAction SilentlyContinue 4>&1

        @($verbose).Message | Where-Object { $_ -like 'POST /v1/images/estimate -> 404*' } | Should -HaveCount 1
    }

    It 'never shows the key, and masks ref URL tokens in -Debug bodies' {
        $id = (New-TestCharacter 'Raw secrets' -Complete).Id

        $all = Get-AllOutput { $null = Invoke-AurousRequest -Method Get -Path "/v1/characters/$id" }

        $all | Should -Match 'response body:.*token=\*\*\*'
        $all | Should -Not -Match ([regex]::Escape($TeamAKey))
        $all | Should -Not -Match 'token=(?!\*\*\*)'
    }
}
