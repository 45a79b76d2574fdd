#Requires -Version 7.0
<#
    Show-AurousCharacter: the review page (every pose embedded as a decodable PNG, names encoded, the commands its
    script builds, checked in headless Chromium where it is installed), where the page goes (nothing opens under
    -NonInteractive or with -Path), the terminal protocols' sequences, and -Review answered through standard input.
    Browsers are never opened: Invoke-TestPwsh puts stand-ins for xdg-open and open first on PATH (Get-TestOpener).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-TestSession

    # No terminal graphics unless a test asks for them, whatever terminal runs the suite.
    $script:PlainTerminal = @{ TERM = 'xterm-256color'; TERM_PROGRAM = $null; KITTY_WINDOW_ID = $null; WT_SESSION = $null; TMUX = $null; MLTERM = $null }

    function Get-Terminal {
        param([hashtable] $Set = @{})
        $environment = $PlainTerminal.Clone()
        foreach ($name in $Set.Keys) { $environment[$name] = $Set[$name] }
        $environment
    }

    # Where the browser tests cannot run, they say how to get one.
    function Skip-WithoutChromium {
        if (-not (Get-Chromium)) {
            Set-ItResult -Skipped -Because 'there is no chromium on PATH: install it (Debian: apt-get install -y chromium; .ci/run does so on CI)'
        }
    }

    function Get-PagePng {
        param([Parameter(Mandatory)] [string] $Html)
        [regex]::Matches($Html, 'data:image/png;base64,([A-Za-z0-9+/=]+)') | ForEach-Object { , [Convert]::FromBase64String($_.Groups[1].Value) }
    }

    <#
        The width and height of a PNG whose image data inflates to exactly the size its header implies: decodable, as
        far as zlib and the PNG layout go (the browser tests decode them for real).
    #>
    function Get-PngSize {
        param([Parameter(Mandatory)] [byte[]] $Png)
        [Convert]::ToBase64String($Png, 0, 8) | Should -Be 'iVBORw0KGgo='
        $int = { param($at) ([int] $Png[$at] -shl 24) -bor ([int] $Png[$at + 1] -shl 16) -bor ([int] $Png[$at + 2] -shl 8) -bor $Png[$at + 3] }
        $width = & $int 16
        $height = & $int 20
        $channels = @{ 0 = 1; 2 = 3; 3 = 1; 4 = 2; 6 = 4 }[[int] $Png[25]]
        $data = [System.IO.MemoryStream]::new()
        $offset = 8
        while ($offset -lt $Png.Length) {
            $length = & $int $offset
            if ([System.Text.Encoding]::ASCII.GetString($Png, $offset + 4, 4) -eq 'IDAT') { $data.Write($Png, $offset + 8, $length) }
            $offset += 12 + $length
        }
        $data.Position = 0
        $inflated = [System.IO.MemoryStream]::new()
        [System.IO.Compression.ZLibStream]::new($data, [System.IO.Compression.CompressionMode]::Decompress).CopyTo($inflated)
        $inflated.Length | Should -Be ($height * (1 + [Math]::Ceiling($width * $channels * $Png[24] / 8)))
        "${width}x$height"
    }

    function Get-Chromium {
        foreach ($name in 'chromium', 'chromium-browser', 'google-chrome') {
            $command = Get-Command $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
            if ($command) { return $command.Source }
        }
    }

    # The page's own script, driven by its #selftest hash in headless Chromium; returns what it reported.
    function Invoke-PageSelfTest {
        param([Parameter(Mandatory)] [string] $Page, [string] $Selection = '')
        $profile = Join-Path ([System.IO.Path]::GetTempPath()) "aurous-chromium-$([guid]::NewGuid().ToString('n'))"
        try {
            $url = [uri]::new($Page, [UriKind]::Absolute).AbsoluteUri + '#selftest=' + [uri]::EscapeDataString($Selection)
            $dom = & (Get-Chromium) --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking `
                --disable-component-update --disable-sync --disable-dev-shm-usage "--user-data-dir=$profile" `
                --virtual-time-budget=10000 --dump-dom $url 2>$null | Out-String
            $report = [regex]::Match($dom, '<pre id="selftest">(.*?)</pre>', 'Singleline')
            $report.Success | Should -BeTrue -Because "the page reports its self-test: $dom"
            [System.Net.WebUtility]::HtmlDecode($report.Groups[1].Value) | ConvertFrom-Json
        }
        finally {
            Remove-Item -Recurse -Force $profile -ErrorAction SilentlyContinue
        }
    }
}

AfterAll { Stop-TestSession }

Describe 'The review page' {
    BeforeAll {
        $script:A = New-TestCharacter 'Aurora <b>bold</b> & "quoted"' -Complete
        $script:B = New-TestCharacter 'Nova' -Complete
    }

    It 'holds every pose of every character as a decodable PNG, both names and ids, and -Path opens nothing' {
        $page = Join-Path $TestDrive 'two.html'

        $printed = Invoke-TestPwsh "Show-AurousCharacter -Id '$($A.Id)', '$($B.Id)' -Path '$page'" -Environment $PlainTerminal

        $printed.Trim() | Should -BeNullOrEmpty
        Test-Path (Get-TestOpener).Log | Should -BeFalse
        $html = Get-Content -Raw $page
        $images = @(Get-PagePng $html)
        $images | Should -HaveCount 8
        foreach ($png in $images) { Get-PngSize $png | Should -Be '512x512' }
        $html | Should -Match ([regex]::Escape('Aurora &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;'))
        $html | Should -Not -Match '<b>bold'
        $html | Should -Match '>Nova<'
        $html | Should -Match "data-id=`"$($A.Id)`""
        $html | Should -Match "<code>$($B.Id)</code>"
    }

    It 'emits its FileInfo with -PassThru, into a folder -Path names, and writes nothing with -WhatIf' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'pages')

        $file = Show-AurousCharacter -Id $A.Id -Path $folder.FullName -PassThru
        $file | Should -BeOfType System.IO.FileInfo
        $file.DirectoryName | Should -Be $folder.FullName
        $file.Name | Should -Match '^aurous-review-\d{8}-\d{6}-\w{6}\.html$'

        $none = Show-AurousCharacter -Id $A.Id -Path (Join-Path $TestDrive 'whatif.html') -PassThru -WhatIf
        $none | Should -BeNullOrEmpty
        Test-Path (Join-Path $TestDrive 'whatif.html') | Should -BeFalse
    }

    It 'opens nothing under -NonInteractive, and a verbose line gives the path' {
        $printed = Invoke-TestPwsh -NonInteractive "Show-AurousCharacter -Id '$($A.Id)' -Verbose" -Environment $PlainTerminal

        $path = [regex]::Match($printed, 'Wrote the review page of 1 character\(s\) with 4 image\(s\) to (\S+\.html)').Groups[1].Value
        $path | Should -Not -BeNullOrEmpty -Because $printed
        Test-Path $path | Should -BeTrue
        @(Get-PagePng (Get-Content -Raw $path)) | Should -HaveCount 4
        Test-Path (Get-TestOpener).Log | Should -BeFalse
        Remove-Item $path
    }

    It 'opens the page in the default browser in an interactive session' -Skip:$IsWindows {
        $printed = Invoke-TestPwsh "Show-AurousCharacter -Id '$($A.Id)'" -Environment $PlainTerminal

        $opened = @(Get-Content (Get-TestOpener).Log)
        $opened | Should -HaveCount 1 -Because $printed
        $opened[0] | Should -BeLike '*aurous-review-*.html'
        @(Get-PagePng (Get-Content -Raw $opened[0])) | Should -HaveCount 4
        Remove-Item $opened[0]
    }

    It 'shows a regenerated pose as a different picture, and the other poses as they were' {
        $id = (New-TestCharacter 'Regenerated' -Complete).Id
        $before = @(Get-PagePng (Get-Content -Raw (Show-AurousCharacter -Id $id -Path (Join-Path $TestDrive 'before.html') -PassThru)))

        $null = Invoke-AurousResynthesis -Id $id -Pose Side -Confirm:$false
        Complete-TestCharacter -Id $id
        $after = @(Get-PagePng (Get-Content -Raw (Show-AurousCharacter -Id $id -Path (Join-Path $TestDrive 'after.html') -PassThru)))

        # Portrait, Front, Side, Back.
        [Convert]::ToBase64String($after[2]) | Should -Not -Be ([Convert]::ToBase64String($before[2]))
        foreach ($i in 0, 1, 3) { [Convert]::ToBase64String($after[$i]) | Should -Be ([Convert]::ToBase64String($before[$i])) }
    }
}

Describe 'The review page in headless Chromium' {
    BeforeAll {
        $script:A = New-TestCharacter 'Ada' -Complete
        $script:B = New-TestCharacter "Bea O'Neil" -Complete
        $script:Page = Show-AurousCharacter -Id $A.Id, $B.Id -Path (Join-Path $TestDrive 'sheet.html') -PassThru
    }

    It 'decodes every image' {
        Skip-WithoutChromium
        $report = Invoke-PageSelfTest -Page $Page.FullName

        $report.images | Should -Be 8
        $report.decoded | Should -Be 8
        @($report.broken) | Should -BeNullOrEmpty
        $report.commands | Should -BeNullOrEmpty
        $report.summary | Should -Be 'Nothing selected.'
    }

    It 'turns the ticked boxes into the commands to paste' {
        Skip-WithoutChromium
        $report = Invoke-PageSelfTest -Page $Page.FullName -Selection "$($A.Id):Back,Side;$($B.Id):save"

        $report.commands | Should -Be "Invoke-AurousResynthesis -Id $($A.Id) -Pose Side,Back`nSave-AurousCharacter -Id $($B.Id)"
        $report.summary | Should -Be '2 poses to regenerate (2 credits), 1 character to save (free).'
    }

    It 'groups characters with the same poses and lets a pose win over save' {
        Skip-WithoutChromium
        # B's save is ticked first, then its Front: regenerating clears the save.
        $report = Invoke-PageSelfTest -Page $Page.FullName -Selection "$($A.Id):Front;$($B.Id):save,Front"

        $report.commands | Should -Be "Invoke-AurousResynthesis -Id $($A.Id), $($B.Id) -Pose Front"
    }
}

Describe 'In the terminal' {
    BeforeAll {
        $script:Id = (New-TestCharacter 'Terminal' -Complete).Id
        $character = Read-TestCharacter $Id
        $script:Pngs = foreach ($ref in $character.refs) { , [byte[]] (Invoke-WebRequest -Uri $ref.url).Content }
    }

    It 'sends the PNGs themselves in the iTerm2 protocol (iTerm2, WezTerm, VS Code)' {
        $printed = Invoke-TestPwsh "Show-AurousCharacter -Id '$Id' -InTerminal" -Environment (Get-Terminal @{ TERM_PROGRAM = 'WezTerm' })

        $sequences = [regex]::Matches($printed, "`e\]1337;File=name=[A-Za-z0-9+/=]+;size=(\d+);width=24;height=12;preserveAspectRatio=1;inline=1:([A-Za-z0-9+/=]+)`a")
        $sequences | Should -HaveCount 4 -Because $printed
        for ($i = 0; $i -lt 4; $i++) {
            $payload = [Convert]::FromBase64String($sequences[$i].Groups[2].Value)
            [Convert]::ToBase64String($payload) | Should -Be ([Convert]::ToBase64String($Pngs[$i]))
            [int] $sequences[$i].Groups[1].Value | Should -Be $payload.Length
        }
        $printed | Should -Match ([regex]::Escape("$Id (Terminal)  Reviewing"))
        Test-Path (Get-TestOpener).Log | Should -BeFalse
    }

    It 'sends the PNGs in chunks of the kitty protocol (kitty, ghostty)' {
        $printed = Invoke-TestPwsh "Show-AurousCharacter -Id '$Id' -InTerminal" -Environment (Get-Terminal @{ TERM = 'xterm-kitty' })

        $starts = [regex]::Matches($printed, "`e_Ga=T,f=100,t=d,q=2,C=1,c=24,r=12,")
        $starts | Should -HaveCount 4
        $chunks = [regex]::Matches($printed, "`e_G(?:a=T[^;]*,)?m=([01]);([A-Za-z0-9+/=]*)`e\\")
        $images = @()
        $current = ''
        foreach ($chunk in $chunks) {
            $chunk.Groups[2].Value.Length | Should -BeLessOrEqual 4096
            $current += $chunk.Groups[2].Value
            if ($chunk.Groups[1].Value -eq '0') { $images += $current; $current = '' }
        }
        $images | Should -HaveCount 4
        for ($i = 0; $i -lt 4; $i++) { $images[$i] | Should -Be ([Convert]::ToBase64String($Pngs[$i])) }
    }

    It 'draws Sixel images of the scaled size (Windows Terminal, foot, mlterm)' {
        $printed = Invoke-TestPwsh "Show-AurousCharacter -Id '$Id' -InTerminal" -Environment (Get-Terminal @{ WT_SESSION = 'test' })

        $sixels = [regex]::Matches($printed, "`eP0;1;0q`"1;1;(\d+);(\d+)(#\d+;2;\d+;\d+;\d+)+([^`e]*)`e\\")
        $sixels | Should -HaveCount 4 -Because $printed
        foreach ($sixel in $sixels) {
            "$($sixel.Groups[1].Value)x$($sixel.Groups[2].Value)" | Should -Be '160x160'
            # 160 rows are 27 bands of six, each ended by '-'.
            ([regex]::Matches($sixel.Groups[4].Value, '-')).Count | Should -Be 27
        }
    }

    It 'says once that the terminal draws no images, and shows the page instead' -Skip:$IsWindows {
        $printed = Invoke-TestPwsh "Show-AurousCharacter -Id '$Id' -InTerminal" -Environment (Get-Terminal @{ TMUX = '/tmp/tmux-0/default'; TERM_PROGRAM = 'iTerm.app' })

        ([regex]::Matches($printed, 'not one known to draw images')).Count | Should -Be 1
        $printed | Should -Not -Match "`e\]1337"
        @(Get-Content (Get-TestOpener).Log) | Should -HaveCount 1
    }
}

Describe 'Show-AurousCharacter -Review' {
    It 'saves one character and regenerates the side of the other, answered through standard input' -Skip:$IsWindows {
        $first = New-TestCharacter 'Saved' -Complete
        $second = New-TestCharacter 'Regenerated side' -Complete
        $before = Get-TestLedger

        $printed = Invoke-TestPwsh -Environment $PlainTerminal -InputLine 's', 'r', 's', '' @"
Show-AurousCharacter -Id '$($first.Id)', '$($second.Id)' -Review | ForEach-Object { "out=`$(`$_.Id) `$(`$_.Status)" }
"@

        $printed | Should -Match ([regex]::Escape('[S] Save  [R] Regenerate poses…  [A] Resynthesize all  [K] Skip  [D] Delete'))
        $printed | Should -Match "out=$($first.Id) Ready"
        $printed | Should -Match "out=$($second.Id) Synthesizing"
        (Read-TestCharacter $first.Id).status | Should -Be 'ready'
        (Read-TestCharacter $second.Id).status | Should -Be 'synthesizing'
        $charges = @((Get-TestLedger).charges) | Select-Object -Skip @($before.charges).Count
        $charges | Should -HaveCount 1
        $charges[0].route | Should -Be 'regenerate'
        $charges[0].CharacterId | Should -Be $second.Id
        $charges[0].generations | Should -Be 1
        (Get-TestLedger).credits | Should -Be ($before.credits - 1)
        # The page of both was shown once, before the questions.
        @(Get-Content (Get-TestOpener).Log) | Should -HaveCount 1
    }

    It 'shows the cost with -WhatIf and sends nothing' {
        $character = New-TestCharacter 'Dry run' -Complete
        $before = Get-TestLedger

        $printed = Invoke-TestPwsh -Environment $PlainTerminal -InputLine 'r', 'f', 'b', '' "Show-AurousCharacter -Id '$($character.Id)' -Review -WhatIf -InTerminal"

        $printed | Should -Match ([regex]::Escape("What if: Performing the operation `"Regenerate the Front and Back poses, one after another (2 credits)`" on target `"$($character.Id) (Dry run)`""))
        (Read-TestCharacter $character.Id).status | Should -Be 'reviewing'
        @((Get-TestLedger).charges).Count | Should -Be @($before.charges).Count
    }

    It 'is refused under -NonInteractive before anything is sent' {
        $character = New-TestCharacter 'Unattended' -Complete
        $before = Get-TestLedger

        $printed = Invoke-TestPwsh -NonInteractive "Show-AurousCharacter -Id '$($character.Id)' -Review; 'error=' + `$Error[0].FullyQualifiedErrorId"

        $printed | Should -Match 'error=NonInteractiveSession,Aurous.PowerShell.Commands.ShowAurousCharacterCommand'
        $printed | Should -Match 'cannot ask'
        (Read-TestCharacter $character.Id).status | Should -Be 'reviewing'
        @((Get-TestLedger).charges).Count | Should -Be @($before.charges).Count
        Test-Path (Get-TestOpener).Log | Should -BeFalse
    }
}
