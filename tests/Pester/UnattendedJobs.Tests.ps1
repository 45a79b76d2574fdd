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
Connect-Aurous -ApiKey (ConvertTo-SecureString '$TeamAKey' -AsPlainText -Force) -BaseUri 'http://127.0.0.1:$port/'
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

        $null = Start-TestEmulator -RateLimitMultiplier 1 -Url "http://127.0.0.1:$port"
        $live = Invoke-TestPwsh -NoConnect -Script $job -Environment $environment

        $live | Should -Match 'made=12 seconds=' -Because $live
        $liveSeconds = [double]($live -replace '(?s).*made=12 seconds=([\d.]+).*', '$1')
        Write-Host "next_run_12_creates_seconds=$liveSeconds"
        # A fresh bucket makes 11 at once and waits 10 s for the twelfth; a bucket the dead run had spent, 100 s and more.
        $liveSeconds | Should -BeLessThan 30
        @((Get-TestLedger).charges) | Should -HaveCount 12
    }
}
