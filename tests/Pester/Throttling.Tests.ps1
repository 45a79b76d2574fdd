#Requires -Version 7.0
<#
    Issues 9 and 10 in real pwsh: a wait nobody asked for (the client's bucket, a server's Retry-After) is shown as
    progress and a verbose line naming the bucket, the host and how long; and separate pwsh processes on one key and
    endpoint keep together to the team's budget. The emulator's limits are twice the documented ones, so the
    processes reach the steady rate within seconds.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Emulator = Start-TestEmulator -RateLimitMultiplier 2
    $script:HostName = ([uri] $Emulator.BaseUri).Authority
    Connect-TestEmulator
}

AfterAll {
    Disconnect-Aurous
    Stop-TestEmulator
}

Describe 'A wait the user did not ask for' {
    BeforeEach {
        Reset-TestEmulator
    }

    It 'after a 429 with Retry-After shows as progress that counts down and closes, and as a verbose line' {
        Add-TestFault -Route create -Kind rate_limit -Count 1 -RetryAfterSeconds 3

        $run = Invoke-InTestRunspace { New-AurousCharacter -Name 'Patient' -Confirm:$false -Verbose }

        $run.Output | Should -HaveCount 1
        $run.Verbose.Message | Should -Contain "Retrying POST /v1/characters in 3.0 s after 429 from $HostName on the characters_synthesize rate limit, Retry-After 3.0 s (attempt 2, same Idempotency-Key)"
        $counting = @($run.Progress | Where-Object RecordType -EQ Processing)
        $counting.Count | Should -BeGreaterOrEqual 2 -Because 'the bar counts down once a second'
        # Short enough for the one-line bar at 80 columns (it cuts past 39), so the host shows whole.
        $counting[0].Activity | Should -Be "429 from $HostName"
        $counting[0].Activity.Length | Should -BeLessOrEqual 38
        $counting[0].StatusDescription | Should -Be 'characters_synthesize, 3 s left of 3 s'
        $counting[0].SecondsRemaining | Should -Be 3
        $counting[-1].SecondsRemaining | Should -BeLessThan 3
        $run.Progress[-1].RecordType | Should -Be Completed
    }

    It 'for a token of the client bucket shows the same way, naming the bucket, its limit and the host' {
        # The client is told the team has a fifth of the documented limits: 48 gets, then 2.5 s a token.
        $character = New-TestCharacter 'Paced'
        $run = Invoke-InTestRunspace -NoConnect -ArgumentList $Emulator.BaseUri, $TeamAKey, $character.Id {
            param($BaseUri, $Key, $Id)
            # -SkipCheck: the check's read would take a token of the bucket this test counts.
            Connect-Aurous -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $BaseUri -RateLimitMultiplier 0.2 -SkipCheck
            Get-AurousCharacter -Id (@($Id) * 48) -Verbose
        }
        # A connection serves every runspace of the process: give this file's back.
        Connect-TestEmulator

        $run.Output | Should -HaveCount 48
        $run.Error | Should -BeNullOrEmpty
        $wait = @($run.Verbose.Message | Where-Object { $_ -like 'Waiting *' })
        $wait | Should -HaveCount 1
        $wait[0] | Should -Match "^Waiting 2\.\d s for the characters_get rate limit of $([regex]::Escape($HostName)) \(48 burst / 24 per minute, shared with this user's other processes\) before GET /v1/characters/char_\w+$"
        $counting = @($run.Progress | Where-Object RecordType -EQ Processing)
        $counting[0].Activity | Should -Be "Rate limit of $HostName"
        $counting[0].StatusDescription | Should -Match '^characters_get, \d s left of 2\.\d s$'
        $run.Progress[-1].RecordType | Should -Be Completed
    }

    It 'respects $ProgressPreference: no bar when it is SilentlyContinue, the verbose line all the same' {
        $id = (New-TestCharacter 'Quiet').Id
        Add-TestFault -Route get -Kind rate_limit -Count 1 -RetryAfterSeconds 2

        $run = Invoke-InTestRunspace -ArgumentList $id {
            param($Id)
            $ProgressPreference = 'SilentlyContinue'
            Get-AurousCharacter -Id $Id -Verbose
        }

        $run.Output | Should -HaveCount 1
        $run.Progress | Should -BeNullOrEmpty
        @($run.Verbose.Message -like "Retrying GET /v1/characters/$id in 2.0 s after 429 from $HostName on the characters_get rate limit*") | Should -HaveCount 1
    }

    It 'of less than 2 s passes with a verbose line only' {
        $id = (New-TestCharacter 'Brief').Id
        Add-TestFault -Route get -Kind rate_limit -Count 1 -RetryAfterSeconds 1

        $run = Invoke-InTestRunspace -ArgumentList $id { param($Id) Get-AurousCharacter -Id $Id -Verbose }

        $run.Output | Should -HaveCount 1
        @($run.Verbose.Message -like "Retrying GET /v1/characters/$id in 1.0 s after 429*") | Should -HaveCount 1
        $run.Progress | Should -BeNullOrEmpty
    }
}

Describe 'Processes on one key and endpoint' {
    BeforeAll {
        # characters_get at 2x: 480 burst, 4 per second. 3 x 180 gets: 60 more than the burst, 15 s of refill.
        $script:PerProcess = 180

        # Starts three pwsh processes as team B (whose bucket no other test here touched), each getting one character
        # $PerProcess times in 4 runspaces at once, and returns what each saw: gets, 429s from the server (its
        # -Verbose lines), errors, and the seconds from the common start to its last answer.
        function Invoke-SharedLoad([string] $Id) {
            # All three start their gets at the same instant, after pwsh has started and the module has loaded.
            $start = [DateTime]::UtcNow.AddSeconds(15).ToString('o')
            $script = @"
`$null = Get-AurousCharacter -Id '$Id'
while ([DateTime]::UtcNow -lt [DateTime]::Parse('$start').ToUniversalTime()) { Start-Sleep -Milliseconds 10 }
`$started = [DateTime]::Parse('$start').ToUniversalTime()
`$got = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
    Import-Module '$(Get-TestModuleManifest)'
    Get-AurousCharacter -Id (@('$Id') * $($PerProcess / 4)) -Verbose -ErrorAction Continue 4>&1 2>&1 | ForEach-Object {
        if (`$_ -is [System.Management.Automation.VerboseRecord]) { if (`$_.Message -like '* -> 429 *') { 'SERVER-429' } }
        elseif (`$_ -is [System.Management.Automation.ErrorRecord]) { 'ERROR' }
        else { 'GOT' }
    }
}
"got=`$(@(`$got -eq 'GOT').Count) server429=`$(@(`$got -eq 'SERVER-429').Count) errors=`$(@(`$got -eq 'ERROR').Count) seconds=`$(([DateTime]::UtcNow - `$started).TotalSeconds.ToString('0.0', [cultureinfo]::InvariantCulture))"
"@
            $command = @(Get-TestPwshCommand)
            $processes = 1..3 | ForEach-Object {
                $file = Join-Path $TestDrive "load-$([guid]::NewGuid().ToString('n')).ps1"
                $preamble = "Import-Module '$(Get-TestModuleManifest)'`n"
                $preamble += "Connect-Aurous -ApiKey (ConvertTo-SecureString '$TeamBKey' -AsPlainText -Force) -BaseUri '$($Emulator.BaseUri)' -RateLimitMultiplier 2`n"
                Set-Content -Path $file -Value ($preamble + $script)
                [pscustomobject]@{
                    Output  = "$file.out"
                    Process = Start-Process -FilePath $command[0] -ArgumentList (@($command | Select-Object -Skip 1) + @('-NoProfile', '-File', $file)) `
                        -RedirectStandardOutput "$file.out" -RedirectStandardError "$file.err" -PassThru -NoNewWindow
                }
            }
            foreach ($p in $processes) {
                $p.Process.WaitForExit(180000) | Should -BeTrue
                Get-Content $p.Output | Select-Object -Last 1
            }
        }

        function Get-Server429Count([string[]] $Lines) {
            ($Lines | ForEach-Object { [int]($_ -replace '.*server429=(\d+).*', '$1') } | Measure-Object -Sum).Sum
        }

        function Get-LoadSeconds([string[]] $Lines) {
            ($Lines | ForEach-Object { [double]($_ -replace '.*seconds=([\d.]+).*', '$1') } | Measure-Object -Maximum).Maximum
        }

        # What the budget allows at best: the burst (less the client's one held-back token) at once, the rest at 4/s.
        $script:MinimumSeconds = (3 * $PerProcess - 479) / 4
    }

    BeforeEach {
        Reset-TestEmulator
    }

    It 'share the team budget: three pwsh processes keep to it together, with no error and next to no 429' {
        Connect-TestEmulator -ApiKey $TeamBKey
        $id = (New-TestCharacter 'Shared').Id

        $lines = Invoke-SharedLoad -Id $id

        $lines | ForEach-Object { $_ | Should -Match "^got=$PerProcess server429=\d+ errors=0 seconds=" }
        Get-Server429Count $lines | Should -BeLessOrEqual 1 -Because "together they draw $(3 * $PerProcess) tokens at the pace of one budget ($($lines -join '; '))"
        Get-LoadSeconds $lines | Should -BeGreaterThan (0.8 * $MinimumSeconds) -Because "the tokens past the burst come at the refill rate ($($lines -join '; '))"
    }
}
